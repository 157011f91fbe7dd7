import { dropDatabasesOfRun } from './support/postgres-server';

export default async function globalTeardown(): Promise<void> {
  if (process.env.TESSERA_TEST_RUN) await dropDatabasesOfRun(process.env.TESSERA_TEST_RUN);
}
