import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImportKind, ImportRow, RowResult } from '@app/application';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { CliError, cliActor, type CliIo, EXIT } from '../io';
import { configOf, progressBar, withStore } from '../session';
import { localImporter, workerImporter, workersAvailable } from './import-batches';

const BATCH_ROWS = 2000;

/** `tessera import evidence|assessments|awards <file.csv>`: bulk, exactly once. */
export function registerImportCommand(program: Command, io: CliIo): void {
  program
    .command('import')
    .description(
      'bulk-load learner records from CSV, exactly once: a row already in the ledger is left alone, so a file may be ' +
        'imported again, or after an interrupted run, without duplicates (columns: docs/cli.md)',
    )
    .addArgument(new Argument('<kind>', 'what the rows are').choices(['evidence', 'assessments', 'awards']))
    .argument('<file>', 'a CSV file with a header row')
    .option('--rejects <file>', 'where to write the rejected rows (default: <file>.rejects.csv)')
    .option('--quiet', 'no progress bar')
    .addOption(
      new Option('--batch <rows>', 'rows decided and appended per round trip').argParser(positive).default(BATCH_ROWS),
    )
    .addOption(
      new Option(
        '--workers <n>',
        `importer threads working at once, each over its own learners; a PostgreSQL server only (default ${DEFAULT_WORKERS})`,
      ).argParser(workerCount),
    )
    .action(
      async (
        kind: ImportKind,
        file: string,
        options: { rejects?: string; quiet?: boolean; batch: number; workers?: number },
      ) => {
        const { IMPORT_COLUMNS, deriveId } = await import('@app/application');
        const path = resolve(io.cwd, file);
        const size = await stat(path).then(
          (found) => {
            if (!found.isFile()) throw new CliError(`cannot read ${file}: not a file`);
            return found.size;
          },
          (error: NodeJS.ErrnoException) => {
            throw new CliError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
          },
        );
        const rejectsFile = options.rejects ?? `${file}.rejects.csv`;
        const config = configOf(io);
        const now = new Date().toISOString();
        const setup = { kind, actorSub: cliActor(), now, correlationId: deriveId('csv-import', kind, path, now) };
        const embedded = config.storage.database.kind === 'pglite';
        if (embedded && options.workers !== undefined && options.workers > 1)
          throw new CliError(
            '--workers needs a PostgreSQL server: the embedded database is opened by one process at a time',
          );
        if (!workersAvailable() && options.workers !== undefined && options.workers > 1)
          throw new CliError('--workers needs the built CLI (dist/): run from the sources, the import has one worker');
        const workers = options.workers ?? (embedded || !workersAvailable() ? 1 : DEFAULT_WORKERS);
        // The workers start (load their modules, connect) while this thread opens its own storage.
        const starting = workers > 1 ? workerImporter({ location: config.storage, setup }, workers) : undefined;
        starting?.catch(() => undefined);
        try {
          await withStore(io, `tessera import ${kind}`, async (storage) => {
            const { parse } = await import('csv-parse');
            const importer = starting ? await starting : await localImporter(storage, setup);
            const counts = { rows: 0, appended: 0, present: 0, rejected: 0 };
            const rejects: Array<{ line: number; text: string }> = [];
            // The rate over the whole run so far; the time left is cli-progress's, from the share of the file's bytes read.
            const bar = progressBar(
              io,
              `${kind} |{bar}| {percentage}% {rows} rows, {rate} rows/s, {eta_formatted} left: ` +
                '{appended} appended, {present} present, {rejected} rejected',
              options.quiet,
            );
            const started = Date.now();
            const progress = () => ({
              ...counts,
              rate: Math.round(counts.rows / Math.max((Date.now() - started) / 1000, 0.001)),
            });
            let header: string[] | undefined;
            /** The header's columns other than the reject file's own, by index: what a reject file repeats of a row. */
            let kept: number[] = [];
            const rowText = (record: string[]) => kept.map((index) => record[index] ?? '');
            let batch: Array<ImportRow & { record: string[] }> = [];
            // Evidence rows do not depend on one another across streams, so the next batch is decided while the last one
            // is appended (a stream both touch is settled by its expected revision: one of them is decided again). Other
            // kinds go one batch at a time: an assessment's order on its stream, and an award's prerequisites, matter.
            const overlap = kind === 'evidence';
            let inFlight: Promise<void> = Promise.resolve();
            const flush = async () => {
              const rows = batch;
              batch = [];
              const settled = importer.importBatch(rows).then((results) =>
                results.forEach((result: RowResult, index) => {
                  counts[result.status]++;
                  if (result.status === 'rejected')
                    rejects.push({
                      line: result.line,
                      text: csvLine([String(result.line), result.reason ?? '', ...rowText(rows[index].record)]),
                    });
                }),
              );
              const previous = inFlight;
              inFlight = Promise.all([previous, settled]).then(() => undefined);
              await (overlap ? previous : inFlight);
            };
            bar.start(size, progress());
            const parser = createReadStream(path).pipe(
              parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
            );
            try {
              for await (const { record, info } of parser as AsyncIterable<{
                record: string[];
                info: { lines: number; bytes: number };
              }>) {
                if (!header) {
                  header = record.map((column) => column.trim());
                  checkHeader(file, header, IMPORT_COLUMNS[kind]);
                  kept = header.flatMap((column, index) => (REJECT_COLUMNS.includes(column) ? [] : [index]));
                  continue;
                }
                counts.rows++;
                if (record.length !== header.length) {
                  counts.rejected++;
                  rejects.push({
                    line: info.lines,
                    text: csvLine([
                      String(info.lines),
                      `the row has ${record.length} fields, the header ${header.length}`,
                      ...record.filter((_value, index) => !REJECT_COLUMNS.includes(header![index] ?? '')),
                    ]),
                  });
                } else {
                  const fields: Record<string, string> = {};
                  for (let index = 0; index < header.length; index++) fields[header[index]] = record[index];
                  batch.push({ line: info.lines, record, fields });
                }
                // A batch per worker: each worker's share is about --batch rows.
                if (batch.length >= options.batch * workers) {
                  await flush();
                  bar.update(info.bytes, progress());
                }
              }
              if (batch.length > 0) await flush();
              await inFlight;
            } catch (error) {
              const code = (error as { code?: string }).code;
              if (typeof code === 'string' && code.startsWith('CSV_'))
                throw new CliError(`${file} is not valid CSV: ${(error as Error).message}`);
              throw error;
            } finally {
              bar.update(size, progress());
              bar.stop();
              await inFlight.catch(() => undefined);
              await importer.close();
            }
            if (!header)
              throw new CliError(
                `${file} is empty: expected a header row (${IMPORT_COLUMNS[kind].required.join(',')})`,
              );
            if (rejects.length > 0)
              await writeFile(
                resolve(io.cwd, rejectsFile),
                // In line order (batches settle out of order), under the file's own header: fixed, it imports again.
                `${csvLine([...REJECT_COLUMNS, ...header.filter((column) => !REJECT_COLUMNS.includes(column))])}\n` +
                  `${rejects
                    .sort((a, b) => a.line - b.line)
                    .map((reject) => reject.text)
                    .join('\n')}\n`,
              );
            const seconds = (Date.now() - started) / 1000;
            io.out(
              `${file}: ${counts.rows} rows: ${counts.appended} appended, ${counts.present} already present, ${counts.rejected} rejected` +
                `${counts.rejected > 0 ? ` (see ${rejectsFile})` : ''} in ${seconds.toFixed(1)} s` +
                ` (${Math.round(counts.rows / Math.max(seconds, 0.001))} rows/s)\n`,
            );
            io.exitCode = counts.rejected > 0 ? EXIT.rejected : EXIT.ok;
          });
        } finally {
          // Stopped however the import ended (the store unreachable, the file bad…).
          await starting?.then(
            (importer) => importer.close(),
            () => undefined,
          );
        }
      },
    );
}

/**
 * Importer threads by default: one. On the 2-core shared machine of bench/import, two workers measured slower than one
 * in the same run (bench/README.md, 2026-12-08): the main thread's parsing, two importers and their two server backends
 * share the cores. `--workers N` is for a machine with the cores to spare.
 */
const DEFAULT_WORKERS = 1;

function workerCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 16)
    throw new InvalidArgumentError('a whole number from 1 to 16');
  return parsed;
}

/** The columns a reject file adds before the rows' own: ignored when it is imported again. */
const REJECT_COLUMNS = ['line', 'reason'];

function checkHeader(file: string, header: string[], columns: { required: string[]; optional: string[] }): void {
  const known = [...columns.required, ...columns.optional, ...REJECT_COLUMNS];
  const missing = columns.required.filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw new CliError(`${file}: the header lacks the column(s) ${missing.join(', ')} (columns: ${known.join(', ')})`);
  const unknown = header.filter((column) => !known.includes(column));
  if (unknown.length > 0)
    throw new CliError(`${file}: unknown column(s) ${unknown.join(', ')} (columns: ${known.join(', ')})`);
  const repeated = header.find((column, index) => header.indexOf(column) !== index);
  if (repeated) throw new CliError(`${file}: the column ${repeated} appears twice`);
}

/** One CSV line, quoting what needs it (RFC 4180). */
function csvLine(values: string[]): string {
  return values.map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',');
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 5000)
    throw new InvalidArgumentError('a whole number from 1 to 5000');
  return parsed;
}
