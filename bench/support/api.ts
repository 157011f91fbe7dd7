/**
 * The api under a benchmark: started in the benchmark's process (createApiApp, listening on an ephemeral port of
 * 127.0.0.1) with its defaults, its CPU time and its statements counted, and the requests that set it up.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig, type TesseraConfig } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { createApiApp } from '../../apps/api/src/api.app';
import { procCpuMs, sleep } from './measure';
import { API_APPLICATION_NAME, statementsSent } from './statement-count';

/** Everything a run needs to reach the api. */
export interface BenchApi {
  readonly port: number;
  /** Whether the api runs the projections (inline). */
  readonly projections: boolean;
  /** CPU time the api has used so far, ms: in this process, its main thread; as processes, the primary and workers. */
  cpuMs(): number;
  /** Statements the api has sent so far (statement-count.ts). */
  statements(): number;
  close(): Promise<void>;
}

/** The api in this process, as createApiApp builds it. */
export interface InProcessApi extends BenchApi {
  readonly app: INestApplication;
}

/** The api's connections say `tessera api …` as application_name, so that statement-count.ts counts theirs only. */
export function apiDatabaseUrl(url: string, name: string): string {
  const named = new URL(url);
  named.searchParams.set('application_name', `${API_APPLICATION_NAME} ${name}`);
  return named.toString();
}

/**
 * The api in this process, listening on an ephemeral port of 127.0.0.1, its rate limit out of the way; `prepare`
 * runs on the application before it listens.
 */
export async function startInProcessApi(
  url: string,
  env: Record<string, string>,
  jwtSecret: string,
  options: {
    create?: (config: TesseraConfig) => Promise<INestApplication>;
    prepare?: (app: INestApplication) => void;
  } = {},
): Promise<InProcessApi> {
  const app = await (options.create ?? createApiApp)(
    loadConfig({
      DATABASE_URL: apiDatabaseUrl(url, '(in the bench process)'),
      TESSERA_JWT_SECRET: jwtSecret,
      TESSERA_RATE_LIMIT: '10000000',
      ...env,
    }),
  );
  try {
    options.prepare?.(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    port,
    projections: env.TESSERA_PROJECTIONS !== 'off',
    cpuMs: () => procCpuMs(`/proc/self/task/${process.pid}/stat`),
    statements: statementsSent,
    close: () => app.close(),
  };
}

/** Starts counting the api's CPU time and statements; the answer gives the counts since. */
export function apiUsage(api: BenchApi): () => { apiCpuMs: number; statements: number } {
  const cpuMs = api.cpuMs();
  const statements = api.statements();
  return () => ({ apiCpuMs: api.cpuMs() - cpuMs, statements: api.statements() - statements });
}

/** A request with a bearer token that must answer `expected` (201 by default); answers its JSON body. */
export async function send(
  api: BenchApi,
  token: string,
  method: 'POST' | 'PUT',
  route: string,
  body: object,
  expected = method === 'POST' ? 201 : 200,
): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${api.port}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== expected)
    throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export const post = (api: BenchApi, token: string, route: string, body: object) =>
  send(api, token, 'POST', route, body);

/** An issuer and its achievement: one required criterion, no validity (as in the lifecycle test). */
export async function defineAchievement(
  api: BenchApi,
  tokens: { admin: string; issuerAdmin: string },
  ids: { issuerId: string; achievementId: string; criterionId: string },
): Promise<void> {
  await post(api, tokens.admin, '/issuers', {
    id: ids.issuerId,
    name: 'Bench University',
    url: 'https://bench.example.edu',
    country: 'IE',
    qualityAssurance: 'QQI',
    framework: 'NFQ',
  });
  await post(api, tokens.issuerAdmin, '/achievements', {
    id: ids.achievementId,
    issuerId: ids.issuerId,
    title: 'Querying relational data',
    kind: 'skill',
    statement: 'I can query a relational database with SQL',
    learningOutcomes: ['Write joins and aggregates'],
    criteria: [{ id: ids.criterionId, description: 'Writes correct multi-table queries', required: true }],
    notionalHours: 50,
    level: { framework: 'EQF', level: 6 },
    credits: [{ framework: 'ECTS', value: 2 }],
    assessmentType: 'practical demonstration',
    supervision: { supervised: true, identityVerified: true },
    participation: 'blended',
  });
}

/**
 * Waits for the requests still in flight when a load generator stopped, and for the inline projections to catch up
 * with the ledger, so that a run does not pay for the one before. A filtered projection's checkpoint stays behind
 * the last event when that event is not for it, so "caught up" is: the unfiltered stream summary is at the last
 * event, and no checkpoint has moved for 1.5 s.
 */
export async function settle(api: BenchApi, db: Pool): Promise<void> {
  await sleep(250);
  if (!api.projections) return;
  const deadline = Date.now() + 180_000;
  let previous = '';
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ checkpoints: string; behind: boolean }>(
      `SELECT coalesce(string_agg(projection || '@' || position, ',' ORDER BY projection), '') AS checkpoints,
              coalesce((SELECT max(position) FROM tessera_events), 0)
                > coalesce((SELECT max(position) FROM tessera_checkpoints), 0) AS behind
       FROM tessera_checkpoints`,
    );
    const { checkpoints, behind } = rows[0];
    if (checkpoints !== previous) {
      previous = checkpoints;
      stableSince = Date.now();
    } else if (!behind && Date.now() - stableSince >= 1500) return;
    await sleep(100);
  }
  console.warn('\n  (the projections are still moving after 180 s; going on)');
}
