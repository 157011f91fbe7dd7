import 'reflect-metadata';
import cluster from 'node:cluster';
import { DataDirInUse, exitWith, loadConfigOrExit, lockDataDir, openOrExit } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo, Server } from 'node:net';
import { createApiApp } from './api.app';
import { nameWorker, superviseWorkers } from './cluster';

/**
 * Starts the HTTP API and answers the port it listens on; any failure to start is one line on stderr and exit code 1.
 * With TESSERA_WORKERS this process is the primary, which forks the api workers that listen (each runs this too).
 */
export async function startApi(): Promise<number> {
  const config = loadConfigOrExit('tessera');
  if (config.workers !== undefined && cluster.isPrimary) return superviseWorkers(config.workers);
  const worker = nameWorker();
  try {
    lockDataDir(config, 'tessera serve');
  } catch (error) {
    if (error instanceof DataDirInUse) exitWith('tessera', error.message);
    throw error;
  }
  const app = await openOrExit('tessera', config, () => createApiApp(config));
  await listenOrExit(app, config.port);
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(
    `tessera api ${worker ? `${worker} ` : ''}listening on http://localhost:${port} (OpenAPI at /openapi.json)\n`,
  );
  return port;
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
