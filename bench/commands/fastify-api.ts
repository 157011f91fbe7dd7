/**
 * The api's Nest application on `@nestjs/platform-fastify` instead of Express, for measuring the HTTP layer only
 * (not a way to run Tessera). Same module, guards, interceptors, pipes and stores, the same helmet headers (run on
 * Node's request and response) and the 1 MB body limit; two things differ and are why it is not taken:
 * - the api calls Express's `request.header(name)` (the idempotency interceptor, the command metadata): a request
 *   decorator stands in for it here;
 * - Fastify answers 400 to an empty body sent as application/json, which Express takes as no body (the award
 *   command's body is optional): a JSON parser that does the same stands in here;
 * - the problem filter answers with Express's `response.type(…).json(…)`, and the web page and Swagger UI are served
 *   through Express: none of them is set up here, so an error answer would fail (the benchmark counts none).
 * It opens the stores and starts the projections as createApiApp does, on a database the Express api has already
 * migrated.
 */
import { Background } from '@app/application';
import type { TesseraConfig } from '@app/config';
import { openEventStore } from '@app/event-store';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../apps/api/src/app.module';
import { securityHeaders } from '../../apps/api/src/security/security';

const BODY_LIMIT_BYTES = 1024 * 1024;

export async function createFastifyApiApp(config: TesseraConfig): Promise<INestApplication> {
  const storage = await openEventStore(config.storage);
  const log = new Logger('Background');
  const background =
    config.projections === 'inline'
      ? new Background(storage, config, {
          warn: (message) => log.warn(message),
          error: (message) => log.error(message),
        })
      : undefined;
  try {
    await background?.start();
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(config, storage, background),
      new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
      { logger: ['error', 'warn'], bodyParser: false },
    );
    const fastify = app.getHttpAdapter().getInstance();
    const headers = securityHeaders(config.publicUrl);
    fastify.addHook('onRequest', (request, reply, done) =>
      headers(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
    );
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body: string, done) => {
      try {
        done(null, body === '' ? undefined : JSON.parse(body));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    fastify.decorateRequest('header', function (this: { headers: Record<string, unknown> }, name: string) {
      return this.headers[name.toLowerCase()];
    });
    return app;
  } catch (error) {
    await background?.stop();
    await storage.close();
    throw error;
  }
}
