import 'reflect-metadata';
import { DataDirInUse, exitWith, loadConfigOrExit, lockDataDir, openOrExit } from '@app/config';
import { createApiApp } from './api.app';

/** Starts the HTTP API; any failure to start is one line on stderr and exit code 1. */
export async function startApi(): Promise<void> {
  const config = loadConfigOrExit('tessera');
  try {
    lockDataDir(config, 'tessera serve');
  } catch (error) {
    if (error instanceof DataDirInUse) exitWith('tessera', error.message);
    throw error;
  }
  const app = await openOrExit('tessera', config, async () => {
    const created = await createApiApp(config);
    await created.listen(config.port);
    return created;
  });
  process.stdout.write(`tessera api listening on ${await app.getUrl()} (OpenAPI at /openapi.json)\n`);
}
