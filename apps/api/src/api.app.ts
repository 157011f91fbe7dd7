import type { TesseraConfig } from '@app/config';
import { openEventStore } from '@app/event-store';
import { Background } from '@app/application';
import { pathwayRuleSchema } from '@app/domain';
import { AWARD_INDEX_MIGRATION, PROJECTIONS, ProjectionRunner } from '@app/read-models';
import { migrate, type SqlClient } from '@app/event-store';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { PATHWAY_RULE } from './pathways/pathway.dto';
import { ISSUER_KEYS_MIGRATION } from './credentials/issuer-key.store';
import { STATUS_ENTRIES_MIGRATION } from './credentials/status-list.store';
import { IDEMPOTENCY_MIGRATION } from './idempotency/idempotency.store';
import { LEARNER_PROFILES_MIGRATION } from './learners/learner-profile.store';
import { applySecurityHeaders } from './security/security';
import { apiLogLevels, StartupLogger } from './startup.logger';
import { serveWebPage } from './web/web-page';

/** Opens the stores, starts projections when inline, and builds the Nest app (not yet listening). */
export async function createApiApp(config: TesseraConfig): Promise<INestApplication> {
  const storage = await openEventStore(config.storage);
  const background =
    config.projections === 'inline'
      ? new Background(storage, config, {
          warn: (message) => new Logger('Background').warn(message),
          error: (message) => new Logger('Background').error(message),
        })
      : undefined;
  try {
    await migrateApiTables(storage.sql);
    // Without inline projections the read models are the projector's to fill, but the api reads them from its first
    // request (and the CLI from its first command): their tables are made here too, as the runner makes them.
    if (background) await background.start();
    else await new ProjectionRunner(storage.store, storage.sql, PROJECTIONS).migrate();
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

/** Tables the api writes itself, whether or not it runs the projections. */
async function migrateApiTables(sql: SqlClient): Promise<void> {
  await migrate(
    sql,
    7355610,
    IDEMPOTENCY_MIGRATION,
    LEARNER_PROFILES_MIGRATION,
    AWARD_INDEX_MIGRATION,
    ISSUER_KEYS_MIGRATION,
    STATUS_ENTRIES_MIGRATION,
  );
}
