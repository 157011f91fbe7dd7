import type { EventStore, RecordedEvent, SqlClient } from '@app/event-store';
import { batches } from './batches';
import { claimCheckpoint, loadCheckpoint, loadFailure, loadVersion, markFailed, saveCheckpoint } from './checkpoints';
import { notifyLearnerChanges } from './learner-changes';
import { isReactor, type Projection, type Reactor, type SqlQuery, type Subscriber } from './projection';
import { rebuildProjections } from './rebuild';

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  readonly quietMs?: number;
  /** The ownership connection or a projection's feed failed (the store or database went away); said per retry. */
  readonly onError?: (projection: string, error: unknown) => void;
  /** A projection's batch began failing, was marked failed, or applied again: said once per change, not per retry. */
  readonly onStateChange?: (change: ProjectionStateChange) => void;
  /**
   * How long to wait before resubscribing (or reconnecting) after a failure (the store or database went away), and
   * the first backoff before a failing batch is retried.
   */
  readonly retryMs?: number;
  /** The longest backoff between retries of a failing batch (it doubles from `retryMs` up to this). */
  readonly maxRetryMs?: number;
  /** How many times a failing batch is retried before its projection is marked failed. */
  readonly retriesBeforeFailed?: number;
  /** How often a failed projection tries its failing event again, so that a transient cause heals itself. */
  readonly failedRetryMs?: number;
  /** How often a runner whose projection another instance owns tries to take it over (that owner may have died). */
  readonly takeoverMs?: number;
  /** How often an owner checks that the connection holding its ownership is alive. */
  readonly heartbeatMs?: number;
  /** A projection's rows were written by another version of its fold: it is rebuilt beside them, then swapped in. */
  readonly onRebuild?: (projection: string, from: number, to: number) => void;
}

/**
 * `failing`: a batch failed and is being retried with backoff; `failed`: the retries ran out, the projection is
 * marked failed at the event it could not apply; `recovered`: it applied that batch or event after all.
 */
export interface ProjectionStateChange {
  readonly projection: string;
  readonly state: 'failing' | 'failed' | 'recovered';
  /** The first event of the failing batch, or the event the projection could not apply. */
  readonly position: bigint;
  readonly error?: string;
  /** Attempts made before this change. */
  readonly attempts: number;
}

/** Defaults for production: about a minute of retries (1, 2, 4, 8, 16, 30 s) before failed, then one try in 5 min. */
const RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
const RETRIES_BEFORE_FAILED = 6;
const FAILED_RETRY_MS = 300_000;

/** First key of the advisory locks that give one runner at a time ownership of a projection (the second: its name). */
const OWNERSHIP_LOCK_CLASS = 7355611;

/**
 * Tails the store's global feed for each projection from its stored checkpoint and applies events
 * in batches, each batch in one transaction with its checkpoint. Of several runners (api instances, projectors), one
 * at a time owns a projection — a session advisory lock, all of a runner's held on one connection — and the others stand by, trying
 * to take over every `takeoverMs`; the lock goes when its owner stops, dies or loses that connection.
 *
 * A batch that keeps failing is retried with capped exponential backoff `retriesBeforeFailed` times; then it is
 * applied event by event, so the events before the one the projection cannot apply are checkpointed, and the
 * projection is marked failed at that event in `tessera_checkpoints` (where `/health` of any process reads it). A
 * failed projection tries that event again on every start and every `failedRetryMs`, and at once when a rebuild has
 * cleared the mark; the mark goes when the checkpoint moves past the event.
 */
export class ProjectionRunner {
  private readonly controller = new AbortController();
  private owning: Promise<void> = Promise.resolve();
  /** The projections whose batches fail, as this runner last said: a change of state is said once. */
  private readonly failing = new Map<string, 'failing' | 'failed'>();

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projections: readonly Subscriber[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  get names(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  /** Starts owning what no other runner owns; the tables are the migrations' (made when the storage opened). */
  start(): void {
    this.owning = this.keepOwning();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.owning;
  }

  /** Holds one connection for this runner's ownership locks, and opens another when that one is lost. */
  private async keepOwning(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await this.sql.session((session, lost) => this.ownWhileConnected(session, lost));
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.('ownership', error);
        await pause(this.options.retryMs ?? 1000, signal);
      }
    }
  }

  /**
   * Takes every projection no other runner owns, runs each it owns, and tries for the others every `takeoverMs`, for
   * as long as the ownership connection lives; then stops them all, and the locks go with the connection.
   */
  private async ownWhileConnected(session: SqlQuery, lost: AbortSignal): Promise<void> {
    // A connection can die without telling its idle client: ask it now and then, and stop owning when it fails.
    const ended = new AbortController();
    const heartbeat = setInterval(
      () => session('SELECT 1').catch((error: unknown) => ended.abort(error)),
      this.options.heartbeatMs ?? 5000,
    );
    const owning = AbortSignal.any([this.controller.signal, lost, ended.signal]);
    const running = new Map<string, Promise<void>>();
    try {
      while (!owning.aborted) {
        for (const projection of this.projections.filter((candidate) => !running.has(candidate.name))) {
          const [{ owner }] = await session<{ owner: boolean }>(
            'SELECT pg_try_advisory_lock($1, hashtext($2)) AS owner',
            [OWNERSHIP_LOCK_CLASS, projection.name],
          );
          if (owner) running.set(projection.name, this.keepRunning(projection, owning));
        }
        if (running.size === this.projections.length) await untilAborted(owning);
        else await pause(this.options.takeoverMs ?? 2000, owning);
      }
    } finally {
      clearInterval(heartbeat);
      ended.abort();
      await Promise.all(running.values());
    }
  }

  /** Runs an owned projection until ownership ends, resubscribing after a failure (the store or database went away). */
  private async keepRunning(projection: Subscriber, owning: AbortSignal): Promise<void> {
    while (!owning.aborted) {
      try {
        await this.run(projection, owning);
      } catch (error) {
        if (owning.aborted) return;
        this.options.onError?.(projection.name, error);
        await pause(this.options.retryMs ?? 1000, owning);
      }
    }
  }

  private async run(projection: Subscriber, signal: AbortSignal): Promise<void> {
    if (!isReactor(projection)) await this.rebuildIfAnotherVersion(projection);
    const from = await loadCheckpoint(this.sql.query, projection.name);
    // Marked failed by this runner before, or by another: the first batch is the retry a start owes it.
    if (await loadFailure(this.sql.query, projection.name)) this.failing.set(projection.name, 'failed');
    const feed = this.store.subscribe({ from, filter: projection.filter, signal });
    for await (const batch of batches(feed, this.options.batchSize ?? 500, this.options.quietMs ?? 5))
      if ((await this.applyPersistently(projection, batch, signal)) === 'start-over') return;
  }

  /** Rows written by another version of the fold are rebuilt by this one before the projection goes on. */
  private async rebuildIfAnotherVersion(projection: Projection): Promise<void> {
    const stored = await loadVersion(this.sql.query, projection.name);
    if (stored === undefined || stored === projection.version) return;
    this.options.onRebuild?.(projection.name, stored, projection.version);
    await rebuildProjections(this.store, this.sql, [projection]);
    await notifyLearnerChanges(this.sql.query, projection.name, 'rebuilt');
  }

  /**
   * Applies a batch, retrying it with backoff while it fails, then event by event to find the event it cannot apply
   * and mark the projection failed there. Answers once the batch is applied (it never skips an event), or `start-over`
   * when a rebuild took the mark away meanwhile (the feed is read again from the rebuilt checkpoint); throws when
   * ownership ends first.
   */
  private async applyPersistently(
    projection: Subscriber,
    batch: readonly RecordedEvent[],
    signal: AbortSignal,
  ): Promise<'applied' | 'start-over'> {
    const retries = this.options.retriesBeforeFailed ?? RETRIES_BEFORE_FAILED;
    for (let attempts = 0; ; attempts++) {
      const state = this.failing.get(projection.name);
      if (state === 'failed' || attempts > retries) {
        const stuck = await this.applyEventByEvent(projection, batch);
        if (stuck === undefined) return this.recovered(projection, batch, attempts);
        // A batch cut short by ownership ending says nothing about the event.
        if (signal.aborted) throw ownershipEnded(projection);
        await markFailed(this.sql.query, projection.name, stuck.position, stuck.error);
        if (state !== 'failed') this.changeState(projection, 'failed', stuck.position, attempts + 1, stuck.error);
        if ((await this.waitWhileFailed(projection, signal)) === 'cleared') return 'start-over';
      } else {
        try {
          await this.applyBatch(projection, batch);
          return this.recovered(projection, batch, attempts);
        } catch (error) {
          if (signal.aborted) throw error;
          if (state === undefined) this.changeState(projection, 'failing', batch[0].position, 1, messageOf(error));
          const first = this.options.retryMs ?? RETRY_MS;
          await pause(Math.min(first * 2 ** attempts, this.options.maxRetryMs ?? MAX_RETRY_MS), signal);
        }
      }
      if (signal.aborted) throw ownershipEnded(projection);
    }
  }

  /** Applies the batch one event at a time; answers the first event that fails, and why, or undefined. */
  private async applyEventByEvent(
    projection: Subscriber,
    batch: readonly RecordedEvent[],
  ): Promise<{ position: bigint; error: string } | undefined> {
    for (const event of batch) {
      try {
        await this.applyBatch(projection, [event]);
      } catch (error) {
        return { position: event.position, error: messageOf(error) };
      }
    }
    return undefined;
  }

  /** Waits `failedRetryMs`, or until the mark is gone: `cleared` when a rebuild took it away. */
  private async waitWhileFailed(projection: Subscriber, signal: AbortSignal): Promise<'elapsed' | 'cleared'> {
    const deadline = Date.now() + (this.options.failedRetryMs ?? FAILED_RETRY_MS);
    while (!signal.aborted && Date.now() < deadline) {
      await pause(Math.min(this.options.retryMs ?? RETRY_MS, deadline - Date.now()), signal);
      if (!signal.aborted && !(await loadFailure(this.sql.query, projection.name))) return 'cleared';
    }
    return 'elapsed';
  }

  private recovered(projection: Subscriber, batch: readonly RecordedEvent[], attempts: number): 'applied' {
    this.changeState(projection, undefined, batch[0].position, attempts + 1);
    return 'applied';
  }

  /** Says a change of a projection's state once; `undefined` is healthy (`recovered` when it was not). */
  private changeState(
    projection: Subscriber,
    state: 'failing' | 'failed' | undefined,
    position: bigint,
    attempts: number,
    error?: string,
  ): void {
    if (this.failing.get(projection.name) === state) return;
    if (state) this.failing.set(projection.name, state);
    else this.failing.delete(projection.name);
    this.options.onStateChange?.({
      projection: projection.name,
      state: state ?? 'recovered',
      position,
      error,
      attempts,
    });
  }

  /** A projection's batch is one transaction with its checkpoint (an EntityManager transaction); a reactor's is not. */
  private async applyBatch(subscriber: Subscriber, batch: readonly RecordedEvent[]): Promise<void> {
    if (isReactor(subscriber)) return this.reactThenCheckpoint(subscriber, batch);
    const projection = subscriber;
    await this.sql.transaction(async (query) => {
      const done = await claimCheckpoint(query, projection.name, projection.version);
      const fresh = batch.filter((event) => event.position > done);
      if (fresh.length === 0) return;
      await projection.apply(fresh, query);
      await saveCheckpoint(query, projection.name, fresh[fresh.length - 1].position);
      // Heard at commit by the caches of answers about the learners the batch changed (learner-changes.ts).
      await notifyLearnerChanges(query, projection.name, fresh);
    });
  }

  /** A reactor's batch: its appends are idempotent, so a crash before the checkpoint only repeats no-ops. */
  private async reactThenCheckpoint(reactor: Reactor, batch: readonly RecordedEvent[]): Promise<void> {
    const done = (await loadCheckpoint(this.sql.query, reactor.name)) ?? 0n;
    const fresh = batch.filter((event) => event.position > done);
    if (fresh.length === 0) return;
    await reactor.react(fresh);
    await saveCheckpoint(this.sql.query, reactor.name, fresh[fresh.length - 1].position);
  }
}

function ownershipEnded(projection: Subscriber): Error {
  return new Error(`${projection.name}: ownership ended before its batch was applied`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
