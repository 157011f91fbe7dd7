import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TesseraConfig } from './config';

/** The embedded database is held by another process: told in one line, with what to do. */
export class DataDirInUse extends Error {}

const LOCK_FILE = 'pglite.lock';

/**
 * Embedded PGlite belongs to one process: two opening the same folder would corrupt it. Whoever opens it (the api,
 * a CLI command) first writes `pglite.lock` in the data folder with its pid; another finds the file, sees that pid
 * alive and refuses, naming the holder. A lock left by a process that died is taken over. With DATABASE_URL there is
 * nothing to lock. Returns the release (also run when the process exits).
 */
export function lockDataDir(config: TesseraConfig, holder: string): () => void {
  if (config.storage.database.kind !== 'pglite') return () => undefined;
  const file = join(config.dataDir, LOCK_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  const mine = JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() });
  for (;;) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = readLock(file);
      if (other && other.pid !== process.pid && isAlive(other.pid))
        throw new DataDirInUse(
          `the embedded database in ${config.dataDir} is in use by ${other.holder} (pid ${other.pid}): ` +
            'stop it first, or set DATABASE_URL to share a PostgreSQL server',
        );
      unlinkSync(file); // left by a process that is gone
    }
  }
  const release = () => {
    if (readLock(file)?.pid === process.pid) unlinkSync(file);
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}

function readLock(file: string): { pid: number; holder: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; holder?: unknown };
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, holder: String(parsed.holder) }
      : { pid: -1, holder: '' };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
