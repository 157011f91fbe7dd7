/**
 * Read-side benchmark on a ledger of N events: seeding through the batched append, a full projection rebuild, live
 * transcript queries over HTTP, as-of replays of one learner, and the audit verification, in a throwaway database
 * created and dropped by this run.
 *
 *   npm run build && npm run bench:read -- [--events N] [--seconds N] [--samples N] [--workers N]
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server, and the database to connect
 * to in order to create and drop `tessera_bench_read_<timestamp>`.
 *
 * 1. Seed: N events (default 1,000,000) for N/10 learners. Each learner has three record streams
 *    `record-{learner}~{achievement}` of EvidenceSubmitted → AssessmentRecorded → AchievementAwarded, and one of them
 *    also an AwardSuspended (60 %) or AwardRevoked (40 %): 10 events per learner. Before them, 2 issuers and 20
 *    achievement definitions. Every stream is hash-chained with the audit helper (`chainEvents`) and appended in one
 *    `appendToStream` per stream (all its events at once), 8 appends in flight.
 * 2. Rebuild: `rebuildProjections` over every projection, from the start of the store.
 * 3. Transcripts: the api in this process (createApiApp, TESSERA_PROJECTIONS=off), autocannon with 32 connections
 *    on `GET /learners/:id/transcript` over 2,000 random learners, after a discarded warm-up (each learner read once,
 *    then 3 s of the run). `--workers N`
 *    (default 1) runs autocannon in worker threads, off the api's event loop; 0 keeps it on the api's thread.
 *    Then 1 and 8 connections, and the no-query route `GET /frameworks/convert` at 32 for as long. Aims (issue 14): transcripts
 *    at 32 connections ≥ 0.9 × the no-query route's rate in the same run (measured in alternating 2 s slices of the
 *    two, 5 of each, so that a shared machine's swings weigh on both alike), p99 at 8 connections ≤ 10 ms.
 * 4. As-of replay: `GET /learners/:id/transcript?asOf=` for one learner, one request at a time (`--samples`,
 *    default 300), and, for the breakdown, `readLearnerLedger` + `foldTranscript` called directly.
 * 5. Audit: `verifyAudit` over the whole store.
 * `--without PROJECTION` (diagnostic, repeatable) leaves a projection out of the rebuild; the rebuild aim is then not judged.
 *
 * A benchmark, not a test: it exits 0 whatever the figures, 1 only on errors (a non-2xx answer, a broken audit).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { readLearnerLedger, chainEvents, GENESIS_HASH, verifyAudit } from '@app/application';
import { loadConfig, type TesseraConfig } from '@app/config';
import { foldTranscript, initialTranscript, transcriptAt } from '@app/domain';
import {
  type EventStore,
  type JsonObject,
  type NewEvent,
  PostgresEventStore,
  pgSqlClient,
  type ReadAllOptions,
} from '@app/event-store';
import {
  achievementLookup,
  achievementSummaries,
  loadTranscriptState,
  type Projection,
  openReadSide,
  PROJECTIONS,
  REBUILD_PAGE,
  rebuildProjections,
  type RowModel,
} from '@app/read-models';
import { type INestApplication, Logger } from '@nestjs/common';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { createApiApp } from '../../apps/api/src/api.app';
import { createFastifyApiApp } from '../commands/fastify-api';
import { TokenVerifier } from '../../apps/api/src/auth/token-verifier';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS_PER_LEARNER = 10;
const RECORDS_PER_LEARNER = 3;
const ACHIEVEMENTS = 20;
const ISSUERS = ['bench-university', 'bench-institute'];
const WRITERS = 8;
const CONNECTIONS = 32;
const QUERY_LEARNERS = 2000;
const JWT_SECRET = `tessera-bench-${randomUUID()}`;
/** The aims. */
/** A rebuild at half the rate of merely reading the same events, page by page, is the aim (issue 14). */
const AIM_REBUILD_OVER_READ = 0.5;
/** Transcript p99 at FEW_CONNECTIONS, and its rate at CONNECTIONS against the no-query route's (issue 14). */
const AIM_TRANSCRIPT_P99_MS = 10;
const FEW_CONNECTIONS = 8;
const AIM_TRANSCRIPT_OVER_PLAIN = 0.9;
/** The ratio is measured in alternating slices of transcripts and the no-query route. */
const RATIO_SLICES = 5;
const RATIO_SLICE_SECONDS = 2;
const AIM_AS_OF_P99_MS = 20;

interface Options {
  readonly events: number;
  readonly seconds: number;
  readonly samples: number;
  readonly workers: number;
  /** Projections left out of the rebuild (diagnostic: then the rebuild figure is not the aim's). */
  readonly without: readonly string[];
}

function parseOptions(argv: readonly string[]): Options {
  let events = 1_000_000;
  let seconds = 10;
  let samples = 300;
  let workers = 1;
  const without: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2) as [string, string | undefined];
    const value = (min: number): number => {
      const text = inline ?? argv[++index];
      const parsed = Number(text);
      if (text === undefined || !Number.isInteger(parsed) || parsed < min)
        throw new Error(`${flag} needs a whole number ≥ ${min}`);
      return parsed;
    };
    if (flag === '--events') events = value(EVENTS_PER_LEARNER);
    else if (flag === '--seconds') seconds = value(1);
    else if (flag === '--samples') samples = value(1);
    else if (flag === '--workers') workers = value(0);
    else if (flag === '--without') {
      const name = inline ?? argv[++index];
      if (!PROJECTIONS.some((projection) => projection.name === name))
        throw new Error(`--without needs a projection: ${PROJECTIONS.map((projection) => projection.name).join(', ')}`);
      without.push(name);
    } else
      throw new Error(
        `Unknown argument ${argv[index]} (expected --events N, --seconds N, --samples N, --workers N, --without PROJECTION)`,
      );
  }
  return { events, seconds, samples, workers, without };
}

const learnerId = (n: number) => `ln-${String(n).padStart(7, '0')}`;
const achievementId = (n: number) => `bench-ach-${String(n).padStart(2, '0')}`;
const issuerOf = (achievement: number) => ISSUERS[achievement % ISSUERS.length];

const ISSUER_ADMIN = { sub: 'bench-issuer-admin', roles: ['issuer-admin'] };
const ASSESSOR = { sub: 'bench-assessor', roles: ['assessor'] };
const ADMIN = { sub: 'bench-admin', roles: ['admin'] };

/** Metadata as StreamCommands writes it (before the chain links). */
function metadata(actor: { sub: string; roles: string[] }, occurredAt: string): JsonObject {
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, causationId: commandId, actor, occurredAt };
}

interface Appendable {
  readonly stream: string;
  readonly events: NewEvent[];
}

/** Links a stream's events into its audit chain, from the genesis hash. */
function chained(stream: string, events: { type: string; data: JsonObject; metadata: JsonObject }[]): Appendable {
  const links = chainEvents(GENESIS_HASH, events);
  return {
    stream,
    events: events.map((event, index) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: links[index],
    })),
  };
}

const CRITERIA = [
  { id: 'plan', description: 'Plans the work', required: true },
  { id: 'execute', description: 'Carries it out correctly', required: true },
  { id: 'reflect', description: 'Reflects on the result', required: false },
];

function definitionStreams(): Appendable[] {
  const at = '2025-01-02T09:00:00.000Z';
  const issuers = ISSUERS.map((issuerId) =>
    chained(`issuer-${issuerId}`, [
      {
        type: 'IssuerRegistered',
        data: {
          schemaVersion: 1,
          issuerId,
          name: `Bench ${issuerId}`,
          url: `https://${issuerId}.example.edu`,
          country: 'IE',
          qualityAssurance: 'Quality and Qualifications Ireland (QQI)',
          framework: 'NFQ',
          registeredAt: at,
          registeredBy: ADMIN.sub,
        },
        metadata: metadata(ADMIN, at),
      },
    ]),
  );
  const achievements = Array.from({ length: ACHIEVEMENTS }, (_, n) =>
    chained(`achievement-${achievementId(n)}`, [
      {
        type: 'AchievementDefined',
        data: {
          schemaVersion: 1,
          achievementId: achievementId(n),
          issuerId: issuerOf(n),
          version: 1,
          definition: {
            title: `Bench skill ${n}`,
            kind: 'skill',
            statement: `I can carry out bench task ${n}.`,
            learningOutcomes: [`Carry out bench task ${n}`],
            criteria: CRITERIA,
            notionalHours: 25 * (1 + (n % 4)),
            level: { framework: 'EQF', level: 4 + (n % 3) },
            credits: [{ framework: 'ECTS', value: 1 + (n % 4) }],
            assessmentType: 'practical demonstration',
            supervision: { supervised: true, identityVerified: true },
            participation: 'blended',
            validity: 'P2Y',
            prerequisites: [],
          },
          definedAt: at,
          definedBy: ISSUER_ADMIN.sub,
        },
        metadata: metadata(ISSUER_ADMIN, at),
      },
    ]),
  );
  return [...issuers, ...achievements];
}

const DAY = 86_400_000;
const BASE = Date.parse('2025-02-01T09:00:00.000Z');

/** A learner's three record streams, ten events in all. */
function learnerStreams(n: number): Appendable[] {
  const learner = learnerId(n);
  const first = (n * 7) % ACHIEVEMENTS;
  const statusRecord = n % RECORDS_PER_LEARNER;
  return Array.from({ length: RECORDS_PER_LEARNER }, (_, r) => {
    const a = (first + r * 3) % ACHIEVEMENTS;
    const achievement = achievementId(a);
    const key = { schemaVersion: 1, learnerId: learner, achievementId: achievement };
    const start = BASE + ((n * 13 + r * 29) % 300) * DAY;
    const iso = (days: number) => new Date(start + days * DAY).toISOString();
    const evidenceId = randomUUID();
    const assessmentId = randomUUID();
    const awardId = randomUUID();
    const credits = [{ framework: 'ECTS', value: 1 + (a % 4) }];
    const events: { type: string; data: JsonObject; metadata: JsonObject }[] = [
      {
        type: 'EvidenceSubmitted',
        data: {
          ...key,
          version: 1,
          evidenceId,
          kind: r % 2 === 0 ? 'accomplishment' : 'challenge',
          criterionIds: ['plan', 'execute'],
          description: `Bench task ${a} carried out and documented by ${learner}.`,
          observedBy: ASSESSOR.sub,
          observedAt: iso(0),
          submittedBy: ASSESSOR.sub,
          submittedAt: iso(1),
        },
        metadata: metadata(ASSESSOR, iso(1)),
      },
      {
        type: 'AssessmentRecorded',
        data: {
          ...key,
          version: 1,
          assessmentId,
          assessor: ASSESSOR.sub,
          evidenceIds: [evidenceId],
          results: CRITERIA.map((criterion) => ({ criterionId: criterion.id, met: true })),
          outcome: 'passed',
          assessedAt: iso(3),
        },
        metadata: metadata(ASSESSOR, iso(3)),
      },
      {
        type: 'AchievementAwarded',
        data: {
          ...key,
          issuerId: issuerOf(a),
          version: 1,
          awardId,
          assessmentId,
          issuedAt: iso(5),
          validUntil: new Date(start + 5 * DAY + 730 * DAY).toISOString(),
          credits,
          level: { framework: 'EQF', level: 4 + (a % 3) },
          notionalHours: 25 * (1 + (a % 4)),
          awardedBy: ISSUER_ADMIN.sub,
        },
        metadata: metadata(ISSUER_ADMIN, iso(5)),
      },
    ];
    if (r === statusRecord) {
      const revoke = n % 5 < 2;
      events.push({
        type: revoke ? 'AwardRevoked' : 'AwardSuspended',
        data: {
          ...key,
          awardId,
          reason: revoke ? 'Plagiarism confirmed' : 'Plagiarism under investigation',
          by: ISSUER_ADMIN.sub,
          at: iso(40),
        },
        metadata: metadata(ISSUER_ADMIN, iso(40)),
      });
    }
    return chained(`record-${learner}~${achievement}`, events);
  });
}

function cores(cpu: NodeJS.CpuUsage, seconds: number): string {
  return ((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2);
}

function pgCores(before: number | undefined, seconds: number): string {
  const after = postgresCpuMs();
  return before === undefined || after === undefined ? '?' : ((after - before) / 1000 / seconds).toFixed(2);
}

/** CPU time used so far by the local processes named `postgres`, in ms; undefined when not readable (not Linux). */
function postgresCpuMs(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  let ticks = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const end = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, end) !== 'postgres') continue;
    const fields = stat.slice(end + 2).split(' ');
    // utime, stime, and cutime, cstime: the postmaster's count those of backends that have exited.
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    found = true;
  }
  return found ? ticks * 10 : undefined;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function dropDatabase(admin: Pool, database: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0].n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const met = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

/** Seeds the store; returns the number of events and the seconds taken. */
async function seed(store: PostgresEventStore, learners: number): Promise<{ events: number; seconds: number }> {
  let events = 0;
  for (const { stream, events: batch } of definitionStreams()) {
    await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    events += batch.length;
  }
  let next = 0;
  let lastReport = performance.now();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let n = next++; n < learners; n = next++) {
        for (const { stream, events: batch } of learnerStreams(n)) {
          await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
          events += batch.length;
        }
        if (performance.now() - lastReport > 15_000) {
          lastReport = performance.now();
          console.log(`    … ${fmt(events)} events, ${fmt(events / ((lastReport - started) / 1000))} events/s so far`);
        }
      }
    }),
  );
  return { events, seconds: (performance.now() - started) / 1000 };
}

async function startApi(
  url: string,
  create: (config: TesseraConfig) => Promise<INestApplication> = createApiApp,
): Promise<{ app: INestApplication; port: number }> {
  const app = await create(
    loadConfig({
      DATABASE_URL: url,
      TESSERA_JWT_SECRET: JWT_SECRET,
      TESSERA_PROJECTIONS: 'off',
      PORT: '3000',
      TESSERA_RATE_LIMIT: '10000000', // one token at full speed: the rate limit is not what is measured
    }),
  );
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { app, port };
}

async function timedGet(url: string, token: string): Promise<number> {
  const begun = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  const elapsed = performance.now() - begun;
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return elapsed;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  Logger.overrideLogger(['error', 'warn']);
  const learners = Math.floor(options.events / EVENTS_PER_LEARNER);
  const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const database = `tessera_bench_read_${Date.now()}`;
  const url = databaseUrl(baseUrl, database);
  const admin = new Pool({ connectionString: baseUrl, max: 1 });
  admin.on('error', () => undefined);
  let created = false;
  const verdicts: string[] = [];
  let failure: unknown;
  try {
    const {
      rows: [{ server_version: version }],
    } = await admin.query<{ server_version: string }>('SHOW server_version');
    await admin.query(`CREATE DATABASE ${database}`);
    created = true;
    const cpus = os.cpus();
    console.log(`read-side bench — ${new Date().toISOString()}`);
    console.log(
      `node ${process.version} · ${cpus[0]?.model ?? '?'} · ${cpus.length} logical CPUs · ` +
        `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM · load average at start ${os.loadavg()[0].toFixed(2)}`,
    );
    console.log(`PostgreSQL ${version} at ${new URL(baseUrl).host}, database ${database} (dropped afterwards)`);
    console.log(
      `ledger: ${fmt(learners * EVENTS_PER_LEARNER + ISSUERS.length + ACHIEVEMENTS)} events — ${fmt(learners)} learners × ` +
        `${RECORDS_PER_LEARNER} record streams (evidence → assessment → award; one award per learner suspended or revoked), ` +
        `${ISSUERS.length} issuers, ${ACHIEVEMENTS} achievements; every stream hash-chained\n`,
    );

    const store = await PostgresEventStore.open(pgSqlClient(url, { max: WRITERS }));
    // The read side as the api has it: TypeORM over the store's pool, its migrations run.
    const storage = await openReadSide({ store, sql: store.sql, close: () => store.close() });
    const sql = storage.sql;
    try {
      // 1. Seed.
      console.log(`1. seed: one appendToStream per stream (3–4 events), ${WRITERS} in flight`);
      const seeded = await seed(store, learners);
      console.log(
        `   ${fmt(seeded.events)} events in ${seeded.seconds.toFixed(1)} s: ${fmt(seeded.events / seeded.seconds)} events/s`,
      );
      await sql.query('VACUUM ANALYZE tessera_events');
      await sql.query('VACUUM ANALYZE tessera_streams');

      // 2. Rebuild, beside the baseline: merely reading the same events with readAll, in the rebuild's pages.
      const readStarted = performance.now();
      let read = 0;
      for (let from = 0n; ;) {
        const page = await store.readAll({ from, maxCount: REBUILD_PAGE });
        if (page.length === 0) break;
        read += page.length;
        from = page[page.length - 1].position;
      }
      const readRate = read / ((performance.now() - readStarted) / 1000);
      const projections = PROJECTIONS.filter((projection) => !options.without.includes(projection.name));
      console.log(
        `2. rebuild: rebuildProjections over ${projections.length} projections (${projections.map((p) => p.name).join(', ')})` +
          (options.without.length > 0 ? `; DIAGNOSTIC: without ${options.without.join(', ')}` : ''),
      );
      let lastReport = performance.now();
      const rebuildStarted = performance.now();
      // Timed wrappers, for where the time goes: the store's readAll, and each projection's apply.
      const timings = new Map<string, number>([['readAll', 0]]);
      const add = (name: string, started: number) =>
        timings.set(name, (timings.get(name) ?? 0) + performance.now() - started);
      const timedStore: EventStore = Object.assign(Object.create(store) as EventStore, {
        readAll: async (read: ReadAllOptions) => {
          const started = performance.now();
          try {
            return await store.readAll(read);
          } finally {
            add('readAll', started);
          }
        },
      });
      const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
          return await work();
        } finally {
          add(name, started);
        }
      };
      // A projection with a row model is rebuilt through it: its fold (in the projection's figure) and its writes
      // (`… write`, which overlap the reads and folds of the pages after them).
      const timedRows = (name: string, rows: RowModel<unknown>): RowModel<unknown> => {
        const load = rows.load?.bind(rows);
        return {
          keysOf: (events) => rows.keysOf(events),
          ...(load ? { load: (query, keys) => timed(name, () => load(query, keys)) } : {}),
          fold: (events, current) => {
            const started = performance.now();
            try {
              return rows.fold(events, current);
            } finally {
              add(name, started);
            }
          },
          write: (query, changed) => timed(`${name} write`, () => rows.write(query, changed)),
        };
      };
      const timedProjections: Projection[] = projections.map((projection) => ({
        ...projection,
        apply: (events, query) => timed(projection.name, () => projection.apply(events, query)),
        ...(projection.rows ? { rows: timedRows(projection.name, projection.rows) } : {}),
      }));
      const pgBeforeRebuild = postgresCpuMs();
      const cpuBeforeRebuild = process.cpuUsage();
      const rebuilt = await rebuildProjections(timedStore, sql, timedProjections, (progress) => {
        if (performance.now() - lastReport > 15_000) {
          lastReport = performance.now();
          const seconds = (lastReport - rebuildStarted) / 1000;
          console.log(`    … ${fmt(progress.events)} events, ${fmt(progress.events / seconds)} events/s so far`);
        }
      });
      const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
      const rebuildRate = rebuilt.events / rebuildSeconds;
      console.log(`   ${fmt(rebuilt.events)} events in ${rebuildSeconds.toFixed(1)} s: ${fmt(rebuildRate)} events/s`);
      console.log(
        `   wall time by step: ${[...timings].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}; ` +
          `CPU: node ${cores(process.cpuUsage(cpuBeforeRebuild), rebuildSeconds)} cores, ` +
          `postgres ${pgCores(pgBeforeRebuild, rebuildSeconds)} cores`,
      );
      console.log(
        `   baseline: readAll of the same ${fmt(read)} events in pages of ${REBUILD_PAGE}: ${fmt(readRate)} events/s`,
      );
      verdicts.push(
        `rebuild ${fmt(rebuildRate)} events/s = ${(rebuildRate / readRate).toFixed(2)} × readAll ` +
          `(${fmt(readRate)} events/s), aim ≥ ${AIM_REBUILD_OVER_READ}: ` +
          (options.without.length > 0
            ? `not judged (without ${options.without.join(', ')})`
            : met(rebuildRate / readRate >= AIM_REBUILD_OVER_READ)),
      );
      await sql.query('ANALYZE');

      // 3. Transcripts over HTTP.
      const api = await startApi(url);
      try {
        const token = await new TokenVerifier(JWT_SECRET).sign(
          { sub: 'bench-registrar', roles: ['registrar'], issuers: ISSUERS },
          '2h',
        );
        const sample = await fetch(`http://127.0.0.1:${api.port}/learners/${learnerId(0)}/transcript`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await sample.json()) as { awards?: unknown[] };
        if (sample.status !== 200 || body.awards?.length !== RECORDS_PER_LEARNER)
          throw new Error(`transcript of ${learnerId(0)}: ${sample.status} ${JSON.stringify(body).slice(0, 300)}`);
        const bytes = JSON.stringify(body).length;
        console.log(
          `3. transcripts: GET /learners/:id/transcript, ${CONNECTIONS} connections, ${QUERY_LEARNERS} random learners, ` +
            `autocannon ${options.workers > 0 ? `in ${options.workers} worker thread(s)` : 'on the api thread'}, ` +
            `${options.seconds} s after a 3 s warm-up (response ≈ ${fmt(bytes)} B)`,
        );
        const requests = Array.from({ length: QUERY_LEARNERS }, () => ({
          method: 'GET' as const,
          path: `/learners/${learnerId(Math.floor(Math.random() * learners))}/transcript`,
        }));
        const cannon = (duration: number) =>
          autocannon({
            url: `http://127.0.0.1:${api.port}`,
            connections: CONNECTIONS,
            duration,
            timeout: 30,
            ...(options.workers > 0 ? { workers: options.workers } : {}),
            headers: { authorization: `Bearer ${token}` },
            requests,
          });
        // The warm-up reads each of the learners once (what an api keeps from a read is then kept), then runs 3 s.
        const paths = [...new Set(requests.map((request) => request.path))];
        await Promise.all(
          Array.from({ length: 8 }, async (_, lane) => {
            for (let index = lane; index < paths.length; index += 8)
              await timedGet(`http://127.0.0.1:${api.port}${paths[index]}`, token);
          }),
        );
        await cannon(3);
        const cpuBefore = process.cpuUsage();
        const pgBefore = postgresCpuMs();
        const eluBefore = performance.eventLoopUtilization();
        const result = await cannon(options.seconds);
        const elu = performance.eventLoopUtilization(eluBefore);
        const cpu = process.cpuUsage(cpuBefore);
        const non2xx = result.non2xx + result.errors + result.timeouts;
        if (non2xx > 0)
          throw new Error(
            `transcripts: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
          );
        console.log(
          `   ${fmt(result.requests.total)} requests: ${fmt(result.requests.average)} requests/s; latency p50 ${result.latency.p50} ms, ` +
            `p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms ` +
            `(non-2xx ${non2xx})`,
        );
        console.log(
          `   api event loop busy ${(elu.utilization * 100).toFixed(0)} %; CPU: node process (api + autocannon) ` +
            `${cores(cpu, options.seconds)} cores, postgres ${pgCores(pgBefore, options.seconds)} cores, of ${os.cpus().length}`,
        );
        const single = await autocannon({
          url: `http://127.0.0.1:${api.port}`,
          connections: 1,
          duration: 3,
          ...(options.workers > 0 ? { workers: options.workers } : {}),
          headers: { authorization: `Bearer ${token}` },
          requests,
        });
        console.log(
          `   for reference, 1 connection: ${fmt(single.requests.average)} requests/s, p50 ${single.latency.p50} ms, ` +
            `p99 ${single.latency.p99} ms`,
        );
        const few = await autocannon({
          url: `http://127.0.0.1:${api.port}`,
          connections: FEW_CONNECTIONS,
          duration: options.seconds,
          timeout: 30,
          ...(options.workers > 0 ? { workers: options.workers } : {}),
          headers: { authorization: `Bearer ${token}` },
          requests,
        });
        console.log(
          `   ${FEW_CONNECTIONS} connections: ${fmt(few.requests.average)} requests/s, p50 ${few.latency.p50} ms, ` +
            `p99 ${few.latency.p99} ms, max ${few.latency.max} ms`,
        );
        verdicts.push(
          `transcript p99 ${few.latency.p99} ms at ${FEW_CONNECTIONS} connections (${fmt(few.requests.average)} req/s), ` +
            `aim ≤ ${AIM_TRANSCRIPT_P99_MS} ms: ${met(few.latency.p99 <= AIM_TRANSCRIPT_P99_MS)}`,
        );

        const plainRequests = [{ method: 'GET' as const, path: '/frameworks/convert?from=CATS&to=ECTS&value=15' }];
        // The HTTP pipeline alone (token guard, Nest, Express), on a route with no database query: as long as the
        // transcripts' run, after a warm-up of its own.
        const onPlain = (duration: number) =>
          autocannon({
            url: `http://127.0.0.1:${api.port}`,
            connections: CONNECTIONS,
            duration,
            ...(options.workers > 0 ? { workers: options.workers } : {}),
            headers: { authorization: `Bearer ${token}` },
            requests: plainRequests,
          });
        await onPlain(1);
        const plain = await onPlain(options.seconds);
        console.log(
          `   for reference, GET /frameworks/convert (no query), ${CONNECTIONS} connections: ` +
            `${fmt(plain.requests.average)} requests/s, p50 ${plain.latency.p50} ms, p99 ${plain.latency.p99} ms` +
            (plain.non2xx > 0 ? ` (${plain.non2xx} non-2xx)` : ''),
        );
        // The aim's ratio, in alternating slices of the two, so that a shared machine's swings weigh on both alike.
        const slice = (what: typeof requests | typeof plainRequests) =>
          autocannon({
            url: `http://127.0.0.1:${api.port}`,
            connections: CONNECTIONS,
            duration: RATIO_SLICE_SECONDS,
            timeout: 30,
            ...(options.workers > 0 ? { workers: options.workers } : {}),
            headers: { authorization: `Bearer ${token}` },
            requests: what,
          });
        let transcriptsDone = 0;
        let plainDone = 0;
        for (let round = 0; round < RATIO_SLICES; round++) {
          transcriptsDone += (await slice(requests)).requests.total;
          plainDone += (await slice(plainRequests)).requests.total;
        }
        const sliced = RATIO_SLICES * RATIO_SLICE_SECONDS;
        const ratio = transcriptsDone / plainDone;
        console.log(
          `   alternating ${RATIO_SLICES} × ${RATIO_SLICE_SECONDS} s of each, ${CONNECTIONS} connections: transcripts ` +
            `${fmt(transcriptsDone / sliced)} requests/s, no-query route ${fmt(plainDone / sliced)} requests/s`,
        );
        verdicts.push(
          `transcripts ${fmt(transcriptsDone / sliced)} req/s at ${CONNECTIONS} connections = ${ratio.toFixed(2)} × the ` +
            `no-query route (${fmt(plainDone / sliced)} req/s; alternating slices), aim ≥ ${AIM_TRANSCRIPT_OVER_PLAIN}: ` +
            met(ratio >= AIM_TRANSCRIPT_OVER_PLAIN),
        );

        // The same two on Fastify beside it (bench/commands/fastify-api.ts: the HTTP layer measured, not taken).
        const fastify = await startApi(url, createFastifyApiApp);
        try {
          const runs = [
            { what: 'transcripts', requests, seconds: options.seconds, warmup: 3 },
            {
              what: 'GET /frameworks/convert',
              requests: [{ method: 'GET' as const, path: '/frameworks/convert?from=CATS&to=ECTS&value=15' }],
              seconds: 3,
              warmup: 0,
            },
          ];
          for (const run of runs) {
            const onFastify = (duration: number) =>
              autocannon({
                url: `http://127.0.0.1:${fastify.port}`,
                connections: CONNECTIONS,
                duration,
                timeout: 30,
                ...(options.workers > 0 ? { workers: options.workers } : {}),
                headers: { authorization: `Bearer ${token}` },
                requests: run.requests,
              });
            if (run.warmup > 0) await onFastify(run.warmup);
            const measured = await onFastify(run.seconds);
            console.log(
              `   for reference, on Fastify (bench-side adapter), ${run.what}, ${CONNECTIONS} connections: ` +
                `${fmt(measured.requests.average)} requests/s, p50 ${measured.latency.p50} ms, p99 ${measured.latency.p99} ms` +
                (measured.non2xx + measured.errors > 0
                  ? ` (${measured.non2xx} non-2xx, ${measured.errors} errors)`
                  : ''),
            );
          }
        } finally {
          await fastify.app.close();
        }

        // Where an answer's time goes, in this process, one step at a time (no HTTP, no Nest).
        const verifier = new TokenVerifier(JWT_SECRET);
        const steps = {
          verify: [] as number[],
          state: [] as number[],
          catalogue: [] as number[],
          fold: [] as number[],
        };
        for (let i = 0; i < 1000; i++) {
          const learner = learnerId(Math.floor(Math.random() * learners));
          let begun = performance.now();
          await verifier.verify(token);
          steps.verify.push(performance.now() - begun);
          begun = performance.now();
          const state = (await loadTranscriptState(sql.query, learner)) ?? initialTranscript(learner);
          steps.state.push(performance.now() - begun);
          begun = performance.now();
          const catalogue = await achievementSummaries(sql.query, [
            ...new Set(state.awards.map((a) => a.achievementId)),
          ]);
          steps.catalogue.push(performance.now() - begun);
          begun = performance.now();
          JSON.stringify(transcriptAt(state, new Date().toISOString(), { catalogue: achievementLookup(catalogue) }));
          steps.fold.push(performance.now() - begun);
        }
        const median = (values: number[]) =>
          percentile(
            [...values].sort((x, y) => x - y),
            0.5,
          ).toFixed(3);
        console.log(
          `   one answer's steps in-process, median of 1,000: verify token ${median(steps.verify)} ms, ` +
            `read transcript row ${median(steps.state)} ms, read achievement catalogue ${median(steps.catalogue)} ms, ` +
            `transcriptAt + JSON ${median(steps.fold)} ms`,
        );

        // 4. As-of replay of one learner.
        const learner = learnerId(Math.floor(learners / 2));
        const ledgerNow = await readLearnerLedger(store, learner);
        const recorded = ledgerNow.events.map((event) => event.recordedAt.getTime()).sort((x, y) => x - y);
        // The instant before the learner's last append: the replay leaves that append out.
        const earlier = recorded.filter((time) => time < recorded[recorded.length - 1]);
        const asOf = new Date(earlier.length > 0 ? earlier[earlier.length - 1] : recorded[recorded.length - 1]);
        const asOfUrl = `http://127.0.0.1:${api.port}/learners/${learner}/transcript?asOf=${asOf.toISOString()}`;
        const included = ledgerNow.events.filter((event) => event.recordedAt <= asOf).length;
        console.log(
          `4. as-of replay: GET /learners/${learner}/transcript?asOf=${asOf.toISOString()} (${included} of its ` +
            `${ledgerNow.events.length} events), one request at a time, ${options.samples} samples after 20 warm-up`,
        );
        for (let i = 0; i < 20; i++) await timedGet(asOfUrl, token);
        const http: number[] = [];
        for (let i = 0; i < options.samples; i++) http.push(await timedGet(asOfUrl, token));
        http.sort((x, y) => x - y);
        const direct: number[] = [];
        for (let i = 0; i < options.samples; i++) {
          const begun = performance.now();
          const ledger = await readLearnerLedger(store, learner, asOf);
          foldTranscript(learner, ledger.events);
          direct.push(performance.now() - begun);
        }
        direct.sort((x, y) => x - y);
        console.log(
          `   HTTP: p50 ${http[Math.floor(http.length / 2)].toFixed(2)} ms, p99 ${percentile(http, 0.99).toFixed(2)} ms, ` +
            `max ${http[http.length - 1].toFixed(2)} ms`,
        );
        console.log(
          `   in-process readLearnerLedger + foldTranscript: p50 ${percentile(direct, 0.5).toFixed(2)} ms, ` +
            `p99 ${percentile(direct, 0.99).toFixed(2)} ms`,
        );
        const [plan] = await sql.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) SELECT position FROM tessera_events
           WHERE position > 0 AND (stream_name LIKE $1 OR stream_name LIKE $2) ORDER BY position LIMIT 1000`,
          [`record-${learner}~%`, `qualification-${learner}~%`],
        );
        const top = (plan['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[])[0];
        console.log(`   the ledger query's plan: ${describePlan(top.Plan)}; ${top['Execution Time'].toFixed(2)} ms`);
        const asOfP99 = percentile(http, 0.99);
        verdicts.push(
          `as-of replay p99 ${asOfP99.toFixed(2)} ms, aim ≤ ${AIM_AS_OF_P99_MS} ms: ${met(asOfP99 <= AIM_AS_OF_P99_MS)}`,
        );
      } finally {
        await api.app.close();
      }

      // 5. Audit.
      console.log('5. audit: verifyAudit over the whole store');
      const auditStarted = performance.now();
      const report = await verifyAudit(store);
      const auditSeconds = (performance.now() - auditStarted) / 1000;
      console.log(
        `   ok=${report.ok}, ${fmt(report.streams)} streams, ${fmt(report.events)} events in ${auditSeconds.toFixed(1)} s: ` +
          `${fmt(report.events / auditSeconds)} events/s`,
      );
      if (!report.ok) throw new Error(`audit found broken chains: ${JSON.stringify(report.broken.slice(0, 3))}`);
      verdicts.push(`audit verify ${fmt(report.events / auditSeconds)} events/s (no aim set)`);
    } finally {
      await storage.close();
    }
  } catch (error) {
    failure = error;
  } finally {
    if (created) await dropDatabase(admin, database).catch(() => undefined);
    await admin.end();
  }
  if (verdicts.length > 0)
    console.log(`\naims (load average at end ${os.loadavg()[0].toFixed(2)}):\n  ${verdicts.join('\n  ')}`);
  if (failure) throw failure;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function describePlan(node: PlanNode): string {
  const parts = [
    node['Node Type'] + (node['Index Name'] ? ` on ${node['Index Name']}` : ''),
    `${node['Actual Rows'] ?? '?'} rows`,
    ...(node['Rows Removed by Filter'] ? [`${fmt(node['Rows Removed by Filter'])} removed by filter`] : []),
  ];
  const children = (node.Plans ?? []).map(describePlan);
  return `${parts.join(', ')}${children.length > 0 ? ` ← ${children.join(' + ')}` : ''}`;
}

main().then(
  () => {
    process.exitCode = 0;
    // autocannon's worker threads and pg's sockets may linger: the run is over.
    setTimeout(() => process.exit(0), 1000).unref();
  },
  (error: unknown) => {
    console.error('\nread benchmark failed:', error);
    process.exit(1);
  },
);
