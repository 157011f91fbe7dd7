import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv } from '../support/child-env';
import { REPO } from './cli-harness';

const tessera = join(REPO, 'bin', 'tessera.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function environment(port: number): NodeJS.ProcessEnv {
  const env = childEnv({ PORT: String(port) });
  for (const key of ['DATABASE_URL', 'TESSERA_DATA_DIR', 'TESSERA_JWT_SECRET']) delete env[key];
  return env;
}

describe('tessera demo', () => {
  let dir: string;
  let demo: ChildProcess | undefined;
  beforeAll(() => {
    if (!existsSync(join(REPO, 'dist', 'apps', 'cli', 'src', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the tests');
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-demo-'))));
  afterEach(async () => {
    if (demo && demo.exitCode === null) {
      demo.kill('SIGTERM');
      await new Promise((resolve) => demo!.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the example into a fresh folder, starts the api and prints links that open it as each role', async () => {
    const port = await freePort();
    demo = spawn(process.execPath, [tessera, 'demo'], { cwd: dir, env: environment(port) });
    let output = '';
    demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 150_000;
    while (!/auditor: +http/.test(output)) {
      if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`the demo did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const links = Object.fromEntries(
      [...output.matchAll(/(learner|registrar|auditor): +(http:\/\/localhost:\d+\/#token=([\w.-]+)\S*)/g)].map(
        (match) => [match[1], { url: match[2], token: match[3] }],
      ),
    );
    expect(Object.keys(links).sort()).toEqual(['auditor', 'learner', 'registrar']);
    for (const { url } of Object.values(links)) expect(url).toMatch(new RegExp(`^http://localhost:${port}/#token=`));
    expect(links.auditor.url).toContain('&view=auditor&learner=ada-lovelace');

    const get = (path: string, token: string) =>
      fetch(`http://localhost:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const mine = await get('/learners/ada-lovelace/transcript', links.learner.token);
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { awards: unknown[] }).awards.length).toBeGreaterThan(0);
    const search = await get('/transcripts?issuerId=tu-dublin', links.registrar.token);
    expect(search.status).toBe(200);
    expect(((await search.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect((await get('/learners/ada-lovelace/history', links.auditor.token)).status).toBe(200);
    expect((await fetch(`http://localhost:${port}/`)).status).toBe(200);
  }, 200_000);

  it('leaves a data folder that is not a demo’s alone', async () => {
    mkdirSync(join(dir, 'mine', 'pglite'), { recursive: true });
    writeFileSync(join(dir, 'mine', 'pglite', 'PG_VERSION'), '17');
    demo = spawn(process.execPath, [tessera, 'demo', '--data-dir', 'mine'], { cwd: dir, env: environment(0) });
    let stderr = '';
    demo.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => demo!.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toBe("tessera demo: mine holds data that is not a demo's: name another --data-dir\n");
    expect(existsSync(join(dir, 'mine', 'pglite', 'PG_VERSION'))).toBe(true);
  });
});
