/**
 * Diagnostic for `--explain`: where one command's time goes inside the api, measured, not guessed.
 *
 * - The HTTP server's first `request` listener notes when a request arrived (before body parsing and Nest).
 * - An Express middleware runs the rest of the request in an AsyncLocalStorage context.
 * - The api's SqlClient `query` is replaced, in this process only, by an equivalent (take a pooled connection, run
 *   the statement, release it) that times the wait for a pooled connection apart from the statement's round trip,
 *   and charges both to the request in whose context the query runs. Queries outside any request (the inline
 *   projections polling the feed) are counted as background. Transactions (`sql.transaction`: the projections'
 *   batches) are not seen.
 *
 * What remains of a request's time, server time minus pool wait minus statement time, is Node: HTTP parsing, the
 * Nest pipeline (JWT guard, idempotency interceptor, validation pipe, command bus), folding and deciding, and the
 * response, plus any wait for the event loop while other requests run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import type { SqlClient } from '../../libs/event-store/src/postgres/sql-client';
import { stepOf, type FlowStep } from './flow';

const QUERY_KINDS = [
  'read record stream',
  'record stream exists?',
  'read achievement stream',
  'append',
  'award index insert',
  'idempotency find',
  'idempotency remember',
  'feed, all events',
  'feed, stream prefix',
  'feed, event types',
  'other',
] as const;
type QueryKind = (typeof QUERY_KINDS)[number];

interface QueryTotals {
  count: number;
  waitMs: number;
  execMs: number;
}

interface StepTotals {
  commands: number;
  serverMs: number;
  queries: Map<QueryKind, QueryTotals>;
}

interface RequestTiming {
  readonly queries: Map<QueryKind, QueryTotals>;
}

const STEPS: readonly FlowStep[] = ['evidence', 'assessment', 'award'];

function queryKind(text: string, params: readonly unknown[] | undefined): QueryKind {
  if (text.includes('WITH claimed')) return 'append';
  if (text.includes('FROM tessera_events') && text.includes('WHERE position > $1')) {
    if (text.includes('starts_with') || text.includes('stream_name LIKE')) return 'feed, stream prefix';
    if (text.includes('type IN')) return 'feed, event types';
    return 'feed, all events';
  }
  if (text.includes('FROM tessera_events') && text.includes('WHERE stream_name = $1')) {
    const stream = String(params?.[0] ?? '');
    return stream.startsWith('record-') ? 'read record stream' : 'read achievement stream';
  }
  if (text.includes('SELECT 1 FROM tessera_streams')) return 'record stream exists?';
  if (text.includes('tessera_award_index')) return 'award index insert';
  if (text.includes('tessera_idempotency'))
    return text.trimStart().startsWith('SELECT') ? 'idempotency find' : 'idempotency remember';
  return 'other';
}

/** A background query's kind; for a feed read, with its filter (the stream prefixes or the event types). */
function backgroundKind(kind: QueryKind, params: readonly unknown[] | undefined): string {
  if (kind === 'feed, stream prefix')
    return `feed, streams ${(params ?? [])
      .slice(2)
      .map((prefix) => String(prefix).replace(/^([a-z]+-)[^~%]+~/, '$1<learner>~'))
      .join(' or ')}`;
  if (kind === 'feed, event types') {
    const types = JSON.parse(String(params?.[2] ?? '[]')) as string[];
    return `feed, types ${types.length > 2 ? `${types.slice(0, 2).join(', ')} +${types.length - 2}` : types.join(', ')}`;
  }
  return kind;
}

function add<Kind>(map: Map<Kind, QueryTotals>, kind: Kind, waitMs: number, execMs: number): void {
  const totals = map.get(kind) ?? { count: 0, waitMs: 0, execMs: 0 };
  totals.count++;
  totals.waitMs += waitMs;
  totals.execMs += execMs;
  map.set(kind, totals);
}

export class CommandAnatomy {
  private readonly context = new AsyncLocalStorage<RequestTiming>();
  private readonly arrivals = new WeakMap<IncomingMessage, number>();
  private steps = new Map<FlowStep, StepTotals>();
  /** By kind, and for a feed read by its filter. */
  private background = new Map<string, QueryTotals>();

  /** Call after createApiApp and before listen. */
  install(app: INestApplication, sql: SqlClient & { pool: Pool }): void {
    const server = app.getHttpServer() as Server;
    server.prependListener('request', (request: IncomingMessage) => this.arrivals.set(request, performance.now()));
    app.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
      const timing: RequestTiming = { queries: new Map() };
      response.once('finish', () => this.finished(request, response, timing));
      this.context.run(timing, next);
    });
    const pool = sql.pool;
    (sql as { query: SqlClient['query'] }).query = async <Row extends object>(
      text: string,
      params?: readonly unknown[],
    ): Promise<Row[]> => {
      const asked = performance.now();
      const client = await pool.connect();
      const connected = performance.now();
      let failure: Error | undefined;
      try {
        return (await client.query(text, params as unknown[])).rows as Row[];
      } catch (error) {
        failure = error as Error;
        throw error;
      } finally {
        client.release(failure);
        const timing = this.context.getStore();
        const kind = queryKind(text, params);
        if (timing) add(timing.queries, kind, connected - asked, performance.now() - connected);
        else add(this.background, backgroundKind(kind, params), connected - asked, performance.now() - connected);
      }
    };
  }

  /** Forgets what was measured so far (after a warm-up). */
  reset(): void {
    this.steps = new Map();
    this.background = new Map();
  }

  private finished(request: IncomingMessage, response: ServerResponse, timing: RequestTiming): void {
    const arrived = this.arrivals.get(request);
    if (arrived === undefined || response.statusCode < 200 || response.statusCode >= 300) return;
    let step: FlowStep;
    try {
      step = stepOf((request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url);
    } catch {
      return;
    }
    const totals = this.steps.get(step) ?? { commands: 0, serverMs: 0, queries: new Map() };
    totals.commands++;
    totals.serverMs += performance.now() - arrived;
    for (const [kind, query] of timing.queries) {
      const into = totals.queries.get(kind) ?? { count: 0, waitMs: 0, execMs: 0 };
      into.count += query.count;
      into.waitMs += query.waitMs;
      into.execMs += query.execMs;
      totals.queries.set(kind, into);
    }
    this.steps.set(step, totals);
  }

  /**
   * Per step, the mean per 2xx command: server time, and of it the wait for a pooled connection, the statements'
   * round trips, and the rest (Node). `loopBusyMs` is the api thread's busy time over the run (event-loop
   * utilisation), shared out per command.
   */
  report(loopBusyMs: number, seconds: number): string {
    const widths = [26, 8, 10, 10, 12, 11, 11];
    const row = (cells: readonly string[]) =>
      cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    const lines = [
      row(['per 2xx command, mean', 'commands', 'server ms', 'queries', 'pool wait ms', 'SQL ms', 'rest ms']),
    ];
    let commands = 0;
    const all: StepTotals = { commands: 0, serverMs: 0, queries: new Map() };
    for (const step of STEPS) {
      const totals = this.steps.get(step);
      if (!totals) continue;
      commands += totals.commands;
      all.commands += totals.commands;
      all.serverMs += totals.serverMs;
      for (const [kind, query] of totals.queries) {
        const into = all.queries.get(kind) ?? { count: 0, waitMs: 0, execMs: 0 };
        into.count += query.count;
        into.waitMs += query.waitMs;
        into.execMs += query.execMs;
        all.queries.set(kind, into);
      }
      lines.push(row(stepCells(step, totals)));
    }
    if (all.commands > 0) lines.push(row(stepCells('all three', all)));
    lines.push('  SQL ms per command by statement (count per command):');
    for (const kind of QUERY_KINDS) {
      const cells = STEPS.map((step) => {
        const totals = this.steps.get(step);
        const query = totals?.queries.get(kind);
        return totals && query
          ? `${step} ${(query.execMs / totals.commands).toFixed(2)} (${(query.count / totals.commands).toFixed(1)})`
          : undefined;
      }).filter((cell) => cell !== undefined);
      if (cells.length > 0) lines.push(`    ${kind.padEnd(24)} ${cells.join('; ')}`);
    }
    lines.push(
      `  api thread busy per command (event-loop utilisation × time ÷ commands): ${
        commands > 0 ? (loopBusyMs / commands).toFixed(2) : '-'
      } ms`,
      '  queries outside requests (the inline projections reading the feed), per second: count, statement ms',
    );
    for (const [kind, query] of [...this.background].sort(([, x], [, y]) => y.execMs - x.execMs))
      lines.push(
        `    ${kind.padEnd(52)} ${(query.count / seconds).toFixed(0)}/s, ${(query.execMs / seconds).toFixed(0)} ms/s` +
          ` (${(query.execMs / query.count).toFixed(2)} ms each)`,
      );
    return lines.join('\n');
  }
}

function stepCells(label: string, totals: StepTotals): string[] {
  const queries = [...totals.queries.values()];
  const count = queries.reduce((sum, query) => sum + query.count, 0);
  const waitMs = queries.reduce((sum, query) => sum + query.waitMs, 0);
  const execMs = queries.reduce((sum, query) => sum + query.execMs, 0);
  const per = (value: number) => (value / totals.commands).toFixed(2);
  return [
    `  ${label}`,
    String(totals.commands),
    per(totals.serverMs),
    per(count),
    per(waitMs),
    per(execMs),
    per(totals.serverMs - waitMs - execMs),
  ];
}
