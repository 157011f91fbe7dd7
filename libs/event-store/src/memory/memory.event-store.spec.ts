import { describeEventStoreContract } from '../testing/event-store.contract';
import { InMemoryEventStore } from './memory.event-store';

describeEventStoreContract('memory', async () => {
  const store = new InMemoryEventStore();
  return { store, reopen: async () => store, dispose: () => store.close() };
});
