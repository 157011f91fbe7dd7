import { assertServerReachable } from './support/postgres-server';

export default async function globalSetup(): Promise<void> {
  await assertServerReachable();
  process.env.TESSERA_TEST_RUN = Date.now().toString(36);
}
