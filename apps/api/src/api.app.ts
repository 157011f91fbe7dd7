import type { TesseraConfig } from '@app/config';
import { Background } from '@app/application';
import { pathwayRuleSchema } from '@app/domain';
import { openStorage } from '@app/read-models';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { PATHWAY_RULE } from './pathways/pathway.dto';
import { applySecurityHeaders } from './security/security';
import { apiLogLevels, StartupLogger } from './startup.logger';
import { serveWebPage } from './web/web-page';

/** Opens the stores, starts projections when inline, and builds the Nest app (not yet listening). */
export async function createApiApp(config: TesseraConfig): Promise<INestApplication> {
  // Opening migrates: the events schema, then the read side's TypeORM migrations.
  const storage = await openStorage(config.storage);
  const background =
    config.projections === 'inline'
      ? new Background(storage, config, {
          warn: (message) => new Logger('Background').warn(message),
          error: (message) => new Logger('Background').error(message),
        })
      : undefined;
  try {
    // Without inline projections the read models are the projector's to fill.
    await background?.start();
    const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, storage, background), {
      bodyParser: false,
      logger: new StartupLogger(apiLogLevels(process.env)),
    });
    applySecurityHeaders(app, config.publicUrl);
    app.useBodyParser('json', { limit: '1mb' });
    app.enableShutdownHooks();
    serveWebPage(app, config.webDir);
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Tessera')
        .setDescription('An event-sourced ledger of micro-credentials')
        .setVersion('0.1.0')
        .addBearerAuth()
        .addBasicAuth()
        .build(),
    );
    document.components = {
      ...document.components,
      schemas: {
        ...document.components?.schemas,
        [PATHWAY_RULE]: pathwayRuleSchema(`#/components/schemas/${PATHWAY_RULE}`, 'openapi-3.0'),
      },
    };
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
    return app;
  } catch (error) {
    await background?.stop();
    await storage.close();
    throw error;
  }
}
