import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the tests use: DATABASE_URL, or the local server. */
export const TEST_SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_DATABASE_PREFIX = 'tessera_t_';

let counter = 0;

function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface ThrowawayDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, named for this test run so teardown can remove leftovers. */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const run = process.env.TESSERA_TEST_RUN ?? 'local';
  // Jest gives each test file its own module registry, so the counter restarts in a worker: the random part keeps a
  // name left behind by an earlier file from being taken again.
  const name = `${TEST_DATABASE_PREFIX}${run}_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: urlFor(name),
    drop: () =>
      onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export async function dropDatabasesOfRun(run: string): Promise<void> {
  await onServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${TEST_DATABASE_PREFIX}${run}_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}

export async function assertServerReachable(): Promise<void> {
  try {
    await onServer((client) => client.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `The tests need PostgreSQL at ${TEST_SERVER_URL} (set DATABASE_URL to another server): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
