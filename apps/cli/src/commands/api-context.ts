import { describeStartupFailure } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import { CliError, type CliIo } from '../io';
import { configOf, holdDataDir } from '../session';

/**
 * The api's application context without a listening server, for what only the api knows how to do — build and sign
 * credentials, verify them against the issuers' keys and status lists — so the CLI runs that very code. Projections
 * stay off: the command only reads and signs.
 */
export async function withApi<T>(io: CliIo, holder: string, work: (app: INestApplication) => Promise<T>): Promise<T> {
  const config = configOf(io);
  const release = holdDataDir(config, holder);
  try {
    await import('reflect-metadata');
    const { Logger } = await import('@nestjs/common');
    // Nest logs its start-up on stdout, which is the command's output (JSON to pipe on): not a word from it.
    Logger.overrideLogger(false);
    const { createApiApp } = await import('../../../api/src/api.app');
    let app: INestApplication;
    try {
      app = await createApiApp({ ...config, projections: 'off' });
      await app.init();
    } catch (error) {
      throw new CliError(describeStartupFailure(error, config.storage));
    }
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  } finally {
    release();
  }
}
