import {
  type Achievement,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  decideRecord,
  evolveRecord,
  initialRecord,
  isDomainError,
  type LearnerRecord,
  prerequisitesToLoad,
  type RecordCommand,
  type RecordEvent,
  recordStream,
} from '@app/domain';
import {
  type EventStore,
  MAX_EVENTS_PER_BATCH,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '@app/event-store';
import type { CommandContext } from '../command-context';
import { deriveId } from '../derive-id';
import { describeClaim } from '../claimed-ids';
import { newEventsOf, type StreamCommands, tailHash } from '../stream-commands';

export const IMPORT_KINDS = ['evidence', 'assessments', 'awards'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The columns of each kind of CSV file: required first, then optional. Lists are separated by `;`. */
export const IMPORT_COLUMNS: { readonly [kind in ImportKind]: { required: string[]; optional: string[] } } = {
  evidence: {
    required: ['evidenceRef', 'learnerId', 'achievementId', 'kind', 'criterionIds', 'description', 'observedAt'],
    optional: ['observedBy', 'artifactUrl', 'artifactSha256', 'version'],
  },
  assessments: {
    required: ['assessmentRef', 'learnerId', 'achievementId', 'evidenceRefs'],
    optional: ['met', 'notMet', 'version', 'assessedAt'],
  },
  awards: { required: ['awardRef', 'learnerId', 'achievementId', 'assessmentRef'], optional: ['awardedAt'] },
};

/**
 * The command id of a row: from its kind and its ref alone, so the same row always makes the same command, whichever
 * file, run or batch it comes in — which is what makes a re-run append nothing twice. The ids it creates (evidence,
 * assessment, award) derive from the command id as the HTTP API derives them from an Idempotency-Key.
 */
export const rowCommandId = (kind: ImportKind, ref: string) => deriveId('csv-import', kind, ref);
export const evidenceIdOf = (evidenceRef: string) => deriveId(rowCommandId('evidence', evidenceRef), 'evidence');
export const assessmentIdOf = (assessmentRef: string) =>
  deriveId(rowCommandId('assessments', assessmentRef), 'assessment');

export interface ImportRow {
  /** The row's line in the file, for the reject file. */
  readonly line: number;
  readonly fields: Readonly<Record<string, string | undefined>>;
}

export type RowStatus = 'appended' | 'present' | 'rejected';
export interface RowResult {
  readonly line: number;
  readonly status: RowStatus;
  readonly reason?: string;
}

/** A row that cannot become a command. */
class RowRejected extends Error {}

interface PlannedRow {
  readonly row: ImportRow;
  readonly command: RecordCommand;
  readonly context: CommandContext;
  readonly stream: string;
  /** For awards: the assessment the row names, which must be the one the award rests on. */
  readonly assessmentId?: string;
}

export interface RecordImportOptions {
  readonly kind: ImportKind;
  /** The actor recorded on every event, e.g. `cli:ada`; it acts as assessor and issuer-admin of each achievement's issuer. */
  readonly actorSub: string;
  /** The instant every command of the import is decided at. */
  readonly now: string;
  readonly correlationId: string;
  /**
   * Called after each batch with its rows' events, those just appended and those found already present — so that a
   * side effect of an import killed between its append and the call (the CLI indexes awards) is made on the re-run.
   * It must be idempotent.
   */
  readonly afterAppend?: (
    events: ReadonlyArray<{ stream: string; type: string; data: NewEvent['data'] }>,
  ) => Promise<void>;
}

const MAX_ATTEMPTS = 5;

/**
 * Bulk import of learner records, exactly once. Each row is a command whose id derives from the row's ref; a batch of
 * rows is decided against the states of its streams, read in one round trip, by the same pure record decider as the
 * HTTP API; its events carry the same metadata and audit hash chain as StreamCommands', and are appended to all their
 * streams in one batch append. A row whose command is already in its stream is "present"; a row the decider refuses
 * is "rejected" with the reason, and the rows around it go on. A stream that moved under the batch (another writer)
 * is read and decided again.
 */
export class RecordImporter {
  private readonly achievements = new Map<string, Promise<Achievement>>();
  /** The importer's actor, before the achievement's issuer is known, and its command metadata: one for every row. */
  private readonly actor: CommandContext['actor'];
  private readonly metadata: RecordCommand['metadata'];
  /** The actor as it decides on an achievement's rows (its issuer filled in), and its metadata, by achievement. */
  private readonly actors = new Map<
    Achievement,
    { actor: CommandContext['actor']; metadata: RecordCommand['metadata'] }
  >();

  constructor(
    private readonly store: EventStore,
    private readonly streams: StreamCommands,
    private readonly options: RecordImportOptions,
  ) {
    this.actor = { sub: options.actorSub, roles: ['assessor', 'issuer-admin'], issuers: [] };
    this.metadata = { now: options.now, actor: this.actor };
  }

  /** Imports a batch of rows; results in the order of the rows. */
  async importBatch(rows: readonly ImportRow[]): Promise<RowResult[]> {
    const results = new Map<ImportRow, RowResult>();
    let pending: PlannedRow[] = [];
    for (const row of rows) {
      try {
        pending.push(this.plan(row));
      } catch (error) {
        if (!(error instanceof RowRejected) && !isDomainError(error)) throw error;
        results.set(row, { line: row.line, status: 'rejected', reason: reasonOf(error) });
      }
    }
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        for (const planned of pending)
          results.set(planned.row, {
            line: planned.row.line,
            status: 'rejected',
            reason: `${planned.stream} kept changing while the row was decided (${MAX_ATTEMPTS} attempts); run the import again`,
          });
        break;
      }
      pending = await this.decideAndAppend(pending, results);
    }
    return rows.map((row) => results.get(row)!);
  }

  /** The row as a record command; throws RowRejected naming the column at fault. */
  private plan(row: ImportRow): PlannedRow {
    const { kind } = this.options;
    const columns = IMPORT_COLUMNS[kind];
    const { fields } = row;
    const value = (column: string) => valueOf(fields, column);
    const required = (column: string) => requiredOf(fields, column);
    const list = (column: string) => listOf(fields, column);
    const version = () => versionOf(fields);
    // When it happened, for records moved from another system; the decider checks the instant and the order.
    const happenedAt = (column: 'assessedAt' | 'awardedAt') => {
      const found = value(column);
      return found === undefined ? {} : { [column]: found };
    };
    const ref = required(columns.required[0]);
    const learnerId = required('learnerId');
    const achievementId = required('achievementId');
    const stream = recordStream(learnerId, achievementId);
    const commandId = rowCommandId(kind, ref);
    const context: CommandContext = {
      commandId,
      correlationId: this.options.correlationId,
      // The issuers are filled in once the achievement is known (decideRows).
      actor: this.actor,
      now: this.options.now,
    };
    const metadata = this.metadata;
    const key = { learnerId, achievementId };
    if (kind === 'evidence') {
      const evidenceKind = required('kind');
      if (evidenceKind !== 'accomplishment' && evidenceKind !== 'challenge')
        throw new RowRejected(`kind must be "accomplishment" or "challenge" (got "${evidenceKind}")`);
      const criterionIds = list('criterionIds');
      if (criterionIds.length === 0) throw new RowRejected('criterionIds is required (criterion ids separated by ";")');
      const artifactUrl = value('artifactUrl');
      const artifactSha256 = value('artifactSha256');
      if ((artifactUrl === undefined) !== (artifactSha256 === undefined))
        throw new RowRejected('artifactUrl and artifactSha256 go together: give both or neither');
      const observedBy = value('observedBy');
      return {
        row,
        stream,
        context,
        command: {
          type: 'SubmitEvidence',
          metadata,
          data: {
            ...key,
            evidenceId: deriveId(commandId, 'evidence'),
            kind: evidenceKind,
            criterionIds,
            description: required('description'),
            observedAt: required('observedAt'),
            ...(observedBy === undefined ? {} : { observedBy }),
            ...(artifactUrl === undefined ? {} : { artifact: { url: artifactUrl, sha256: artifactSha256! } }),
            ...version(),
          },
        },
      };
    }
    if (kind === 'assessments') {
      const evidenceRefs = list('evidenceRefs');
      if (evidenceRefs.length === 0) throw new RowRejected('evidenceRefs is required (evidence refs separated by ";")');
      const met = list('met');
      const notMet = list('notMet');
      const both = met.find((criterion) => notMet.includes(criterion));
      if (both !== undefined) throw new RowRejected(`the criterion ${both} is both met and notMet`);
      if (met.length + notMet.length === 0) throw new RowRejected('met or notMet must name at least one criterion');
      return {
        row,
        stream,
        context,
        command: {
          type: 'RecordAssessment',
          metadata,
          data: {
            ...key,
            assessmentId: deriveId(commandId, 'assessment'),
            evidenceIds: evidenceRefs.map(evidenceIdOf),
            results: [
              ...met.map((criterionId) => ({ criterionId, met: true })),
              ...notMet.map((criterionId) => ({ criterionId, met: false })),
            ],
            ...version(),
            ...happenedAt('assessedAt'),
          },
        },
      };
    }
    return {
      row,
      stream,
      context,
      assessmentId: assessmentIdOf(required('assessmentRef')),
      command: {
        type: 'AwardAchievement',
        metadata,
        data: { ...key, awardId: deriveId(commandId, 'award'), ...happenedAt('awardedAt') },
      },
    };
  }

  /** Decides every row against its stream's state and appends; returns the rows to decide again (their stream moved, or a prerequisite was being written). */
  private async decideAndAppend(planned: PlannedRow[], results: Map<ImportRow, RowResult>): Promise<PlannedRow[]> {
    const byStream = new Map<string, PlannedRow[]>();
    for (const row of planned) {
      const rows = byStream.get(row.stream);
      if (rows === undefined) byStream.set(row.stream, [row]);
      else rows.push(row);
    }
    const histories = await this.store.readStreams([...byStream.keys()]);
    const achievements = await this.loadAchievements(planned);
    const prerequisites = await this.loadPrerequisites(planned, histories, achievements);

    const parts: Array<StreamAppend & { rows: PlannedRow[] }> = [];
    const deferred: PlannedRow[] = [];
    const present: Array<{ stream: string; type: string; data: NewEvent['data'] }> = [];
    const claimsOfRow = new Map<PlannedRow, string[]>();
    for (const [stream, rows] of byStream) {
      const history = histories.get(stream) ?? [];
      const applied = new Set(history.map((event) => event.metadata.commandId));
      let record = history.reduce((state, event) => evolveRecord(state, asRecordEvent(event)), initialRecord());
      let prevHash = tailHash(history.at(-1));
      const events: NewEvent[] = [];
      const appending: PlannedRow[] = [];
      let deferring = false;
      for (const planned of rows) {
        if (applied.has(planned.context.commandId)) {
          results.set(planned.row, { line: planned.row.line, status: 'present' });
          present.push(...history.filter((event) => event.metadata.commandId === planned.context.commandId));
          continue;
        }
        // An award whose prerequisite is being written in this very round waits for the next, to see it; the rows
        // after it on its stream wait too, to keep their order.
        if (deferring || prerequisites.streamsOf(planned).some((other) => other !== stream && byStream.has(other))) {
          deferring = true;
          deferred.push(planned);
          continue;
        }
        applied.add(planned.context.commandId);
        try {
          const achievement = achievements.get(planned.command.data.achievementId)!;
          const { actor, metadata } = this.actorOn(achievement);
          const command = { ...planned.command, metadata } as RecordCommand;
          const decided = decideRecord(command, record, { achievement, prerequisites: prerequisites.of(planned) });
          const awarded = decided.find((event) => event.type === 'AchievementAwarded');
          if (awarded && planned.assessmentId !== awarded.data.assessmentId)
            throw new RowRejected(
              'the assessment named is not the latest assessment of this learner on this achievement; awards rest on the latest',
            );
          const chained = newEventsOf(stream, prevHash, { ...planned.context, actor }, decided);
          claimsOfRow.set(
            planned,
            chained.flatMap((event) => event.claims ?? []),
          );
          events.push(...chained);
          appending.push(planned);
          record = decided.reduce(evolveRecord, record);
          prevHash = chained.at(-1)!.metadata!.hash as string;
        } catch (error) {
          if (!(error instanceof RowRejected) && !isDomainError(error)) throw error;
          results.set(planned.row, { line: planned.row.line, status: 'rejected', reason: reasonOf(error) });
        }
      }
      if (events.length > 0)
        parts.push({
          stream,
          events,
          expectedRevision: history.length === 0 ? 'no_stream' : history.at(-1)!.revision,
          rows: appending,
        });
    }

    const moved: PlannedRow[] = [...deferred];
    if (present.length > 0) await this.options.afterAppend?.(present);
    for (const chunk of chunksOf(parts)) {
      const outcomes = await this.store.appendToStreams(chunk.map(({ rows: _rows, ...part }) => part));
      outcomes.forEach((outcome, index) => {
        const part = chunk[index];
        if (outcome.outcome === 'conflict') moved.push(...part.rows);
        else if (outcome.outcome === 'id-claimed')
          // The row whose ref gave an id another record holds is refused; the others on its stream are decided again.
          for (const planned of part.rows)
            if (claimsOfRow.get(planned)?.includes(outcome.id))
              results.set(planned.row, {
                line: planned.row.line,
                status: 'rejected',
                reason: `id-already-held: the ${describeClaim(outcome.id)} that this row's ref gives is held by another learner's record; give the row a ref of its own`,
              });
            else moved.push(planned);
        else for (const planned of part.rows) results.set(planned.row, { line: planned.row.line, status: 'appended' });
      });
      const appended = chunk.filter((_part, index) => outcomes[index].outcome === 'appended');
      await this.options.afterAppend?.(
        appended.flatMap((part) =>
          part.events.map((event) => ({ stream: part.stream, type: event.type, data: event.data })),
        ),
      );
    }
    return moved;
  }

  private actorOn(achievement: Achievement): { actor: CommandContext['actor']; metadata: RecordCommand['metadata'] } {
    let found = this.actors.get(achievement);
    if (found === undefined) {
      const actor = { ...this.actor, issuers: achievement.status === 'none' ? [] : [achievement.issuerId] };
      found = { actor, metadata: { ...this.metadata, actor } };
      this.actors.set(achievement, found);
    }
    return found;
  }

  /** The achievements the rows name, each read once per import. */
  private async loadAchievements(planned: PlannedRow[]): Promise<Map<string, Achievement>> {
    const ids = [...new Set(planned.map((row) => row.command.data.achievementId))];
    for (const id of ids)
      if (!this.achievements.has(id)) {
        const loading = this.streams.load<Achievement, AchievementEvent>(achievementStream(id), achievementDecider);
        loading.catch(() => this.achievements.delete(id));
        this.achievements.set(id, loading);
      }
    return new Map(await Promise.all(ids.map(async (id) => [id, await this.achievements.get(id)!] as const)));
  }

  /** For award rows: the learner's records on the prerequisites of the version assessed, read in one round trip. */
  private async loadPrerequisites(
    planned: PlannedRow[],
    histories: Map<string, RecordedEvent[]>,
    achievements: Map<string, Achievement>,
  ): Promise<{
    of: (row: PlannedRow) => { [achievementId: string]: LearnerRecord };
    streamsOf: (row: PlannedRow) => string[];
  }> {
    const needed = new Map<PlannedRow, string[]>();
    for (const row of planned) {
      if (row.command.type !== 'AwardAchievement') continue;
      const record = (histories.get(row.stream) ?? []).reduce(
        (state, event) => evolveRecord(state, asRecordEvent(event)),
        initialRecord(),
      );
      const ids = prerequisitesToLoad(record, achievements.get(row.command.data.achievementId)!);
      if (ids.length > 0) needed.set(row, ids);
    }
    const streams = [...needed].flatMap(([row, ids]) => ids.map((id) => recordStream(row.command.data.learnerId, id)));
    const read =
      streams.length === 0 ? new Map<string, RecordedEvent[]>() : await this.store.readStreams([...new Set(streams)]);
    const streamsOf = (row: PlannedRow) =>
      (needed.get(row) ?? []).map((id) => recordStream(row.command.data.learnerId, id));
    return {
      streamsOf,
      of: (row) =>
        Object.fromEntries(
          (needed.get(row) ?? []).map((id) => [
            id,
            (read.get(recordStream(row.command.data.learnerId, id)) ?? []).reduce(
              (state, event) => evolveRecord(state, asRecordEvent(event)),
              initialRecord(),
            ),
          ]),
        ),
    };
  }
}

type Fields = ImportRow['fields'];

/** A column's value, trimmed; undefined when absent or blank. */
function valueOf(fields: Fields, column: string): string | undefined {
  const found = fields[column]?.trim();
  return found === undefined || found === '' ? undefined : found;
}

function requiredOf(fields: Fields, column: string): string {
  const found = valueOf(fields, column);
  if (found === undefined) throw new RowRejected(`${column} is required`);
  return found;
}

/** A `;`-separated list, its items trimmed, blanks left out. */
function listOf(fields: Fields, column: string): string[] {
  const found = valueOf(fields, column);
  if (found === undefined) return [];
  const items: string[] = [];
  for (const item of found.split(';')) {
    const trimmed = item.trim();
    if (trimmed !== '') items.push(trimmed);
  }
  return items;
}

function versionOf(fields: Fields): { version?: number } {
  const found = valueOf(fields, 'version');
  if (found === undefined) return {};
  if (!/^[1-9]\d{0,5}$/.test(found)) throw new RowRejected(`version must be a whole number from 1 (got "${found}")`);
  return { version: Number(found) };
}

function asRecordEvent(event: RecordedEvent): RecordEvent {
  return { type: event.type, data: event.data } as unknown as RecordEvent;
}

function reasonOf(error: unknown): string {
  if (isDomainError(error)) {
    const issues = error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    return issues.length > 0 ? `${error.code}: ${issues.join('; ')}` : `${error.code}: ${error.detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Stream parts grouped so that no batch append carries more events than the store takes at once. */
function* chunksOf<Part extends StreamAppend>(parts: Part[]): Generator<Part[]> {
  let chunk: Part[] = [];
  let events = 0;
  for (const part of parts) {
    if (chunk.length > 0 && events + part.events.length > MAX_EVENTS_PER_BATCH) {
      yield chunk;
      chunk = [];
      events = 0;
    }
    chunk.push(part);
    events += part.events.length;
  }
  if (chunk.length > 0) yield chunk;
}
