import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { DataDirInUse, lockDataDir } from './data-dir-lock';

describe('lockDataDir', () => {
  const embedded = () => loadConfig({ TESSERA_DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-lock-')) });

  it('refuses a second holder while the first is alive, naming it, and frees the folder on release', async () => {
    const config = embedded();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(
        join(config.dataDir, 'pglite.lock'),
        JSON.stringify({ pid: sleeper.pid, holder: 'tessera serve', since: new Date().toISOString() }),
      );
      expect(() => lockDataDir(config, 'tessera import')).toThrow(DataDirInUse);
      expect(() => lockDataDir(config, 'tessera import')).toThrow(
        `the embedded database in ${config.dataDir} is in use by tessera serve (pid ${sleeper.pid})`,
      );
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
    }
    // The holder died without releasing: its lock is taken over.
    const release = lockDataDir(config, 'tessera import');
    expect(existsSync(join(config.dataDir, 'pglite.lock'))).toBe(true);
    release();
    expect(existsSync(join(config.dataDir, 'pglite.lock'))).toBe(false);
  });

  it('locks nothing when the database is a PostgreSQL server', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-lock-'));
    const config = loadConfig({
      TESSERA_DATA_DIR: dir,
      DATABASE_URL: 'postgres://u@db/x',
      TESSERA_JWT_SECRET: 's'.repeat(32),
    });
    lockDataDir(config, 'tessera serve')();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
  });
});
