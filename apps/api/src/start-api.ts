import 'reflect-metadata';
import { DataDirInUse, exitWith, loadConfigOrExit, lockDataDir, openOrExit } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo, Server } from 'node:net';
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
  const app = await openOrExit('tessera', config, () => createApiApp(config));
  await listenOrExit(app, config.port);
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`tessera api listening on http://localhost:${port} (OpenAPI at /openapi.json)\n`);
}

/**
 * Listens on every interface; a port another process holds is said as such, not as a store that cannot open. The
 * server is started here rather than by `app.listen`, which would log the failure as a stack of its own first.
 */
async function listenOrExit(app: INestApplication, port: number): Promise<void> {
  await app.init();
  const server = app.getHttpServer() as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') exitWith('tessera', `port ${port} is in use: stop what listens there, or set PORT`);
    if (code === 'EACCES') exitWith('tessera', `port ${port} needs privileges this process lacks: set PORT above 1023`);
    exitWith('tessera', `cannot listen on port ${port}: ${(error as Error).message}`);
  }
}
