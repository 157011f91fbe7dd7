import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built api on the embedded default, as `npm start` runs it. */
const api = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js');

beforeAll(() => {
  if (!existsSync(api)) throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the tests');
});

function environment(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_DATA_DIR: dataDir, PORT: String(port) };
  for (const key of ['DATABASE_URL', 'EVENTSTORE_URL', 'NODE_ENV', 'TESSERA_LOG_LEVEL']) delete env[key];
  return env;
}

function listening(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, () => resolve((server.address() as { port: number }).port)));
}

describe('starting the api as a newcomer does', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'tessera-startup-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says in one line that the port is in use, not that the store cannot open', async () => {
    const squatter = createServer();
    const port = await listening(squatter);
    try {
      const result = spawnSync(process.execPath, [api], {
        env: environment(dataDir, port),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`tessera: port ${port} is in use: stop what listens there, or set PORT\n`);
    } finally {
      squatter.close();
    }
  });

  it('prints where it listens as localhost, with Nest’s per-route lines kept at debug', async () => {
    const probe = createServer();
    const port = await listening(probe);
    await new Promise((resolve) => probe.close(resolve));
    const child = spawn(process.execPath, [api], { env: environment(dataDir, port) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('listening on')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the api did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain(`tessera api listening on http://localhost:${port} (OpenAPI at /openapi.json)`);
      expect(output).not.toContain('Mapped {');
      expect(output).not.toContain('[::1]');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
