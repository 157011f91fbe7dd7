import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

/** Run by `npm run test:eventstoredb` only (jest.eventstoredb.config.js), never by `npm test`. */
const url = process.env.EVENTSTORE_URL;

if (url) {
  describeEventStoreContract(`eventstoredb (${url})`, async () => {
    const opened: EventStoreDbEventStore[] = [];
    const open = async () => {
      const store = await EventStoreDbEventStore.connect(url);
      opened.push(store);
      return store;
    };
    return {
      store: await open(),
      reopen: open,
      dispose: async () => void (await Promise.all(opened.map((store) => store.close()))),
    };
  });
} else {
  // No EventStoreDB here: say so loudly, and count the contract as skipped, never as passed.
  describe('EventStore contract: eventstoredb', () => {
    it.skip('skipped: no EVENTSTORE_URL (e.g. EVENTSTORE_URL=esdb://localhost:2113?tls=false npm run test:eventstoredb)', () =>
      undefined);
  });
  process.stderr.write('\n[event-store] EventStoreDB contract run skipped: no EVENTSTORE_URL\n');
}
