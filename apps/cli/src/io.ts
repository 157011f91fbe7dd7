import { userInfo } from 'node:os';

/** Where a command reads its environment and writes its output: the process, or a test's buffers. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  /** The working directory relative paths are read from. */
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  readonly interactive: boolean;
  /** What the command asks the process to exit with; 0 when unset. */
  exitCode?: number;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
  };
}

/**
 * Exit codes (docs/cli.md): 0 done; 1 failed (bad arguments, unreadable or malformed file, the store cannot be opened,
 * a credential or the audit trail not verified); 2 done, but some rows or items were rejected (see the report).
 */
export const EXIT = { ok: 0, failed: 1, rejected: 2 } as const;

/** A failure told in one line; the command ends with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** Who the CLI records as the actor of what it appends: `cli:<os user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}
