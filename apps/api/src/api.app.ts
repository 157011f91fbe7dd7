import type { TesseraConfig } from '@app/config';
import { openEventStore } from '@app/event-store';
import { projectionsFor } from '@app/application';
import { AWARD_INDEX_MIGRATION, ProjectionRunner } from '@app/read-models';
import type { SqlClient } from '@app/event-store';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { IDEMPOTENCY_MIGRATION } from './idempotency/idempotency.store';
import { LEARNER_PROFILES_MIGRATION } from './learners/learner-profile.store';

/** Opens the stores, starts projections when inline, and builds the Nest app (not yet listening). */
export async function createApiApp(config: TesseraConfig): Promise<INestApplication> {
  const storage = await openEventStore(config.storage);
  const runner =
    config.projections === 'inline'
      ? new ProjectionRunner(
          storage.store,
          storage.sql,
          projectionsFor(storage.store, (message) => new Logger('Conferral').warn(message)),
          {
            onError: (projection, error) =>
              new Logger('Projections').error(`${projection}: ${(error as Error).message}`),
          },
        )
      : undefined;
  try {
    await migrateApiTables(storage.sql);
    await runner?.start();
    const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, storage, runner), {
      bodyParser: false,
      logger: process.env.NODE_ENV === 'test' ? ['error', 'warn'] : undefined,
    });
    app.useBodyParser('json', { limit: '1mb' });
    app.enableShutdownHooks();
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Tessera')
        .setDescription('An event-sourced ledger of micro-credentials')
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
    return app;
  } catch (error) {
    await runner?.stop();
    await storage.close();
    throw error;
  }
}

/** Tables the api writes itself, whether or not it runs the projections. */
async function migrateApiTables(sql: SqlClient): Promise<void> {
  await sql.transaction(async (query) => {
    await query('SELECT pg_advisory_xact_lock(7355610)');
    for (const statement of [IDEMPOTENCY_MIGRATION, LEARNER_PROFILES_MIGRATION, AWARD_INDEX_MIGRATION])
      await query(statement);
  });
}
