/**
 * Counts the statements the api sends to PostgreSQL, one per `query` of a `pg` client, i.e. one per round trip: only
 * clients whose application_name starts with `tessera api` (the api's pool: a worker names itself so, and the bench
 * names its in-process api so), not the bench's own pools.
 *
 * In the bench's process `countApiStatements()` installs the count and `statementsSent()` reads it. Loaded with
 * `node --require` into the api (its cluster workers inherit the flag), it counts from the start and writes the
 * count to `$TESSERA_BENCH_STATEMENTS_DIR/<pid>` every 100 ms, where the bench reads it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export const API_APPLICATION_NAME = 'tessera api';

let sent = 0;
let installed = false;
/** With `byText`: statements sent by their text, whitespace collapsed (a diagnostic). */
let texts: Map<string, number> | undefined;

export function countApiStatements(options: { byText?: boolean } = {}): void {
  if (options.byText) texts ??= new Map();
  if (installed) return;
  installed = true;
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (
    this: Client & { connectionParameters?: { application_name?: string } },
    ...args: unknown[]
  ) {
    if (this.connectionParameters?.application_name?.startsWith(API_APPLICATION_NAME)) {
      sent++;
      if (texts) {
        const first = args[0] as string | { text?: string } | undefined;
        const text = (typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').trim();
        texts.set(text, (texts.get(text) ?? 0) + 1);
      }
    }
    return query.apply(this, args);
  } as typeof Client.prototype.query;
}

export const statementsSent = (): number => sent;

/** The statements sent so far by text (empty unless counted `byText`). */
export const statementsByText = (): ReadonlyMap<string, number> => new Map(texts);

const directory = process.env.TESSERA_BENCH_STATEMENTS_DIR;
if (directory) {
  countApiStatements();
  const file = join(directory, String(process.pid));
  // Written aside and renamed over, so that the bench never reads a file half written.
  const write = () => {
    writeFileSync(`${file}.next`, String(sent));
    renameSync(`${file}.next`, file);
  };
  setInterval(write, 100).unref();
  process.on('exit', write);
}
