import type { OpenedEventStore } from '@app/event-store';
import { markFailed, openStorage, saveCheckpoint } from '@app/read-models';
import { heartbeatWithheldBecause } from '../apps/projector/src/projector';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/postgres-server';

/** The projector's container health check is its heartbeat file: no beat while a projection is marked failed. */
describe('the projector heartbeat', () => {
  let database: ThrowawayDatabase;
  let storage: OpenedEventStore;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    storage = await openStorage({ database: { kind: 'postgres', url: database.url } });
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('is withheld while a projection is marked failed, naming it, and beats again once it gets past', async () => {
    expect(await heartbeatWithheldBecause(storage)).toBeUndefined();
    await markFailed(storage.sql.query, 'stream-summary', 42n, 'cannot apply the event');
    expect(await heartbeatWithheldBecause(storage)).toBe('projection stream-summary at position 42 is marked failed');
    await saveCheckpoint(storage.sql.query, 'stream-summary', 42n);
    expect(await heartbeatWithheldBecause(storage)).toBeUndefined();
  });
});
