import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ConfigError,
  DataDirInUse,
  describeStartupFailure,
  loadConfig,
  lockDataDir,
  type TesseraConfig,
} from '@app/config';
import type { OpenedStorage, ReadSideOptions } from '@app/read-models';
import { type Options, Presets, SingleBar } from 'cli-progress';
import { CliError, type CliIo } from './io';

/** The configuration, or a one-line CliError naming what is wrong with it. */
export function configOf(io: CliIo): TesseraConfig {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration: ${error.message}`);
    throw error;
  }
}

/**
 * Opens the configured stores, runs `work`, and closes them whatever happens. The embedded database is locked for the
 * duration (one process at a time); a store that cannot be opened is one line naming it, without its password.
 */
export async function withStore<T>(
  io: CliIo,
  holder: string,
  work: (storage: OpenedStorage, config: TesseraConfig) => Promise<T>,
  options: ReadSideOptions = {},
): Promise<T> {
  const config = configOf(io);
  const release = holdDataDir(config, holder);
  try {
    const { openStorage } = await import('@app/read-models');
    let storage: OpenedStorage;
    try {
      storage = await openStorage(config.storage, options);
    } catch (error) {
      throw new CliError(describeStartupFailure(error, config.storage));
    }
    try {
      return await work(storage, config);
    } finally {
      await storage.close();
    }
  } finally {
    release();
  }
}

/** A file's text, or a one-line CliError saying why it cannot be read. */
export async function readInput(io: CliIo, file: string): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((error as Error).message);
    throw new CliError(`cannot read ${file}: ${why}`);
  }
}

/** What a command's progress is drawn with: a cli-progress bar on stderr, or nothing when not a terminal or --quiet. */
export interface Progress {
  start(total: number, payload?: object): void;
  update(value: number, payload?: object): void;
  setTotal(total: number): void;
  stop(): void;
}

export function progressBar(io: CliIo, format: string, quiet = false): Progress {
  if (!io.interactive || quiet)
    return { start: () => undefined, update: () => undefined, setTotal: () => undefined, stop: () => undefined };
  const options: Options = { format, hideCursor: true, stream: process.stderr };
  const bar = new SingleBar(options, Presets.shades_classic);
  let running = false;
  return {
    start: (total, payload) => {
      bar.start(total, 0, payload);
      running = true;
    },
    update: (value, payload) => bar.update(value, payload),
    setTotal: (total) => bar.setTotal(total),
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** Takes the embedded database's folder for this command (nothing to take with a server); held: one line, exit 1. */
export function holdDataDir(config: TesseraConfig, holder: string): () => void {
  try {
    return lockDataDir(config, holder);
  } catch (error) {
    if (error instanceof DataDirInUse) throw new CliError(error.message);
    throw error;
  }
}
