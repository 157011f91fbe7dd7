import type { ReadSide } from '@app/application';
import type { EventStore, SqlClient } from '@app/event-store';
import type { LearnerChanges } from '@app/read-models';
import type { Provider } from '@nestjs/common';
import { EVENT_STORE, LEARNER_CHANGES, SQL_CLIENT } from '../storage.tokens';
import { ReadYourWrites } from './read-your-writes';

/** What the queries of libs/application read in the api: the store, and the read models with read-your-writes. */
export const READ_SIDE = Symbol('ReadSide');

/** How many learners' transcript rows are kept (an LRU, about 2 KB each for a few awards). */
const KEPT_TRANSCRIPTS = 20_000;

export const readSideProvider: Provider = {
  provide: READ_SIDE,
  useFactory: (
    store: EventStore,
    sql: SqlClient,
    readYourWrites: ReadYourWrites,
    changes: LearnerChanges,
  ): ReadSide => ({
    store,
    readModels: {
      query: sql.query,
      waitFor: (projection, minPosition) => readYourWrites.waitFor(projection, minPosition),
      transcripts: changes.cache(KEPT_TRANSCRIPTS),
    },
  }),
  inject: [EVENT_STORE, SQL_CLIENT, ReadYourWrites, LEARNER_CHANGES],
};
