import type { Transcript } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { INestApplication } from '@nestjs/common';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError, type CliIo } from '../io';
import { withStore } from '../session';
import { withApi } from './api-context';

/** `tessera transcript` and `tessera history`: a learner's record, replayed from the ledger. */
export function registerLearnerCommands(program: Command, io: CliIo): void {
  program
    .command('transcript')
    .description("a learner's transcript — awards, qualifications, credit totals — now or as of an instant")
    .argument('<learnerId>', 'the learner')
    .option('--as-of <instant>', 'an ISO 8601 instant: the transcript as the ledger knew it then', parseInstant)
    .option(
      '--effective-at <instant>',
      'an ISO 8601 instant: what the learner had achieved by then, by the dates things happened (the transcript, ' +
        'its pathways and the CLR: table, json and clr)',
      parseInstant,
    )
    .addOption(
      new Option('--format <format>', 'table, json, ob3 (the award credentials) or clr (the CLR 2.0 credential)')
        .choices(['table', 'json', 'ob3', 'clr'])
        .default('table'),
    )
    .action(
      async (
        learnerId: string,
        options: { asOf?: Date; effectiveAt?: Date; format: 'table' | 'json' | 'ob3' | 'clr' },
      ) => {
        const { format } = options;
        if (format === 'ob3' && options.effectiveAt)
          throw new CliError(
            '--effective-at reads a transcript, its pathways or the CLR: use --format table, json or clr',
          );
        if (format === 'ob3' || format === 'clr') {
          const { asOf, effectiveAt } = options;
          await withApi(io, `tessera transcript`, async (app) =>
            io.out(`${JSON.stringify(await credentialsOf(app, learnerId, { asOf, effectiveAt, format }))}\n`),
          );
          return;
        }
        await withStore(io, 'tessera transcript', async (storage) => {
          const { progressOnEveryPathway, transcriptOf } = await import('@app/application');
          await knownLearner(storage.store, learnerId);
          // The CLI runs no projections: given the store alone, the queries replay the ledger.
          const read = { store: storage.store };
          const transcript = await transcriptOf(read, learnerId, {
            ...(options.asOf ? { asOf: options.asOf } : {}),
            ...(options.effectiveAt ? { effectiveAt: options.effectiveAt } : {}),
          });
          if (options.format === 'json') io.out(`${JSON.stringify(transcript)}\n`);
          else
            io.out(
              formatTranscript(transcript) +
                formatProgress(
                  await progressOnEveryPathway(read, learnerId, {
                    asOf: options.asOf,
                    effectiveAt: options.effectiveAt?.toISOString(),
                  }),
                ),
            );
        });
      },
    );

  program
    .command('history')
    .description('every event about a learner, in the order the ledger recorded them, with who and when')
    .argument('<learnerId>', 'the learner')
    .option('--json', 'one JSON object per event (type, stream, revision, position, recordedAt, data, metadata)')
    .action((learnerId: string, options: { json?: boolean }) =>
      withStore(io, 'tessera history', async (storage) => {
        const { historyEntry, learnerHistory } = await import('@app/application');
        await knownLearner(storage.store, learnerId);
        const { events } = await learnerHistory({ store: storage.store }, learnerId);
        const lines = events.map((event) => {
          const entry = historyEntry(event);
          const actor = (event.metadata.actor as { sub?: string } | undefined)?.sub ?? '?';
          return { entry, columns: [entry.recordedAt, event.type, `${event.stream}#${entry.revision}`, `by ${actor}`] };
        });
        if (options.json) for (const { entry } of lines) io.out(`${JSON.stringify(entry)}\n`);
        else io.out(`${alignedColumns(lines.map(({ columns }) => columns))}${events.length} events\n`);
      }),
    );
}

function formatTranscript(transcript: Transcript): string {
  const when = [
    ...(transcript.asOf ? [`as of ${transcript.asOf}`] : []),
    ...(transcript.effectiveAt ? [`effective ${transcript.effectiveAt}`] : []),
  ];
  const lines = [`Transcript of ${transcript.learnerId}${when.length ? ` ${when.join(', ')}` : ''}`, ''];
  const credits = (list: Array<{ framework: string; value: number }>) =>
    list.map((credit) => `${credit.value} ${credit.framework}`).join(', ');
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd();
    return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  };
  if (transcript.awards.length === 0) lines.push('No awards.');
  else
    lines.push(
      ...table(
        ['achievement', 'title', 'kind', 'status', 'issued', 'credits', 'level'],
        transcript.awards.map((award) => [
          `${award.achievementId} v${award.version}`,
          award.title,
          award.kind ?? '',
          award.status,
          award.issuedAt.slice(0, 10),
          credits(award.credits),
          `${award.level.framework} ${award.level.level}`,
        ]),
      ),
    );
  if (transcript.qualifications.length > 0)
    lines.push(
      '',
      ...table(
        ['qualification', 'title', 'type', 'status', 'conferred', 'credits'],
        transcript.qualifications.map((qualification) => [
          qualification.pathwayId,
          qualification.title,
          qualification.awardType,
          qualification.status,
          qualification.conferredAt.slice(0, 10),
          credits(qualification.credits),
        ]),
      ),
    );
  if (transcript.creditTotals.length > 0)
    lines.push(
      '',
      `Credit over valid awards: ${transcript.creditTotals.map((total) => `${total.value} ${total.framework}${total.basis === 'convention' ? ' (by convention)' : ''}`).join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}

type Progress = import('@app/application').LearnerPathwayProgress;

/** Rows of text as a table: each column as wide as its widest cell, two spaces between. */
function alignedColumns(rows: readonly string[][]): string {
  const widths = rows.reduce<number[]>(
    (widest, row) => row.map((cell, index) => Math.max(widest[index] ?? 0, cell.length)),
    [],
  );
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, index) => cell.padEnd(widths[index]))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

function formatProgress(progress: readonly Progress[]): string {
  if (progress.length === 0) return '';
  const lines = ['', 'Pathways'];
  for (const { pathway, version, result, conferred } of progress) {
    // As the web page says it: "5 of 30 ECTS", the total from the award when the rule names no credits node.
    const { earned, framework } = result.credits;
    const required =
      result.credits.required ??
      version.definition.award.credits.find((credit) => credit.framework === framework)?.value;
    const credits = required === undefined ? `${earned} ${framework} earned` : `${earned} of ${required} ${framework}`;
    const state = conferred
      ? 'conferred'
      : result.satisfied
        ? 'complete, to be conferred (by the api or the projector once running)'
        : `missing ${result.missing.map(describeMissing).join('; ')}`;
    lines.push(`  ${pathway.pathwayId} v${version.version} (${version.definition.award.type}): ${credits}, ${state}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeMissing(item: import('@app/domain').MissingItem): string {
  switch (item.type) {
    case 'achievement':
      return item.achievementId;
    case 'pathway':
      return `the pathway ${item.pathwayId}`;
    case 'credits':
      return `${Math.round((item.required - item.earned) * 100) / 100} more ${item.framework}`;
    case 'count':
      return `${item.required - item.have} more ${item.kind ?? 'achievement'}${item.required - item.have === 1 ? '' : 's'}`;
    case 'choice':
      return `${item.needed} of (${item.options.map((option) => option.map(describeMissing).join(' + ')).join(', ')})`;
  }
}

/** The learner's credentials as the api serves them: each award's OB 3.0 credential (JSON and VC-JWT), or the CLR. */
async function credentialsOf(
  app: INestApplication,
  learnerId: string,
  options: { asOf?: Date; effectiveAt?: Date; format: 'ob3' | 'clr' },
): Promise<unknown> {
  const { AwardCredentials } = await import('../../../api/src/credentials/award-credentials');
  const { ClrCredentials } = await import('../../../api/src/credentials/clr-credentials');
  const { READ_SIDE } = await import('../../../api/src/queries/read-side.provider');
  const { learnerLedgerOf } = await import('@app/application');
  await knownLearner(app.get(READ_SIDE).store, learnerId);
  if (options.format === 'clr')
    return (
      await app.get(ClrCredentials).build(learnerId, {
        ...(options.asOf ? { asOf: options.asOf } : {}),
        ...(options.effectiveAt ? { effectiveAt: options.effectiveAt } : {}),
      })
    ).credential;
  const ledger = await learnerLedgerOf(app.get(READ_SIDE), learnerId, options.asOf);
  const awards = app.get(AwardCredentials);
  const awardIds = ledger.records.flatMap(({ record }) => record.awards.map((award) => award.awardId));
  return Promise.all(
    awardIds.map(async (awardId) => ({
      awardId,
      credential: (await awards.build(awardId)).credential,
      jwt: await awards.signed(awardId),
    })),
  );
}

/**
 * A learner id the ledger has no stream about is no learner — not one with nothing recorded — and is refused in one
 * line, as a malformed id is.
 */
async function knownLearner(store: EventStore, learnerId: string): Promise<void> {
  const { readLearnerLedger } = await import('@app/application');
  const { learnerStream } = await import('@app/domain');
  try {
    learnerStream(learnerId);
  } catch {
    throw new CliError(`"${learnerId}" is not a valid learner id`);
  }
  if ((await readLearnerLedger(store, learnerId)).events.length === 0)
    throw new CliError(`no such learner: ${learnerId}`);
}

function parseInstant(value: string): Date {
  const instant = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(value) || Number.isNaN(instant.getTime()))
    throw new InvalidArgumentError('use an ISO 8601 instant, e.g. 2026-03-01T00:00:00Z or 2026-03-01');
  return instant;
}
