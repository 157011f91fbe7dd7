import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../apps/cli/src/cli';
import type { CliIo } from '../../apps/cli/src/io';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/postgres-server';

export const REPO = resolve(__dirname, '../..');
export const CLI_JWT_SECRET = 'tessera-cli-test-secret-'.repeat(2);

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI run in this process, on a throwaway PostgreSQL database, with its output captured. */
export interface CliHarness {
  readonly database: ThrowawayDatabase;
  readonly env: Record<string, string>;
  /** A scratch folder for files the test writes. */
  readonly dir: string;
  run(...args: string[]): Promise<CliRun>;
  close(): Promise<void>;
}

export async function runIn(env: Record<string, string>, cwd: string, args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env,
    cwd,
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    interactive: false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

export async function startCli(): Promise<CliHarness> {
  const database = await createThrowawayDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  const env = {
    DATABASE_URL: database.url,
    TESSERA_JWT_SECRET: CLI_JWT_SECRET,
    TESSERA_KEY_ENCRYPTION_KEY: 'k'.repeat(32),
    TESSERA_DATA_DIR: join(dir, 'data'),
  };
  return {
    database,
    env,
    dir,
    run: (...args) => runIn(env, REPO, args),
    close: () => database.drop(),
  };
}
