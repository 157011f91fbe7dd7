import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { childEnv } from './child-env';

const TEST_DIR = join(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? testFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the environment of spawned processes', () => {
  const saved = process.env.EVENTSTORE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.EVENTSTORE_URL;
    else process.env.EVENTSTORE_URL = saved;
  });

  it('leaves EVENTSTORE_URL out, keeps the rest and adds what is asked', () => {
    process.env.EVENTSTORE_URL = 'esdb://localhost:2113?tls=false';
    const env = childEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/y' });
    expect(env.EVENTSTORE_URL).toBeUndefined();
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.DATABASE_URL).toBe('postgres://x@127.0.0.1/y');
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.env.EVENTSTORE_URL))'], {
      env,
      encoding: 'utf8',
    });
    expect(child.stdout).toBe('undefined');
  });

  it('is what every test that spawns a Tessera process passes, never process.env itself', () => {
    const inheriting = testFiles(TEST_DIR).filter((file) => {
      const source = readFileSync(file, 'utf8');
      return file !== __filename && source.includes('node:child_process') && source.includes('...process.env');
    });
    expect(inheriting).toEqual([]);
  });
});
