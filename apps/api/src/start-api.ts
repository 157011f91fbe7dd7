import 'reflect-metadata';
import { ConfigError, describeStartupFailure, loadConfig } from '@app/config';
import { createApiApp } from './api.app';

/** Starts the HTTP API; any failure to start is one line on stderr and exit code 1. */
export async function startApi(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(`configuration: ${error.message}`);
    throw error;
  }
  try {
    const app = await createApiApp(config);
    await app.listen(config.port);
    process.stdout.write(`tessera api listening on ${await app.getUrl()} (OpenAPI at /openapi.json)\n`);
  } catch (error) {
    fail(describeStartupFailure(error, config.storage));
  }
}

function fail(message: string): void {
  process.stderr.write(`tessera: ${message}\n`);
  process.exit(1);
}
