import type { ReadSide } from '@app/application';
import type { EventStore, SqlClient } from '@app/event-store';
import type { Provider } from '@nestjs/common';
import { EVENT_STORE, SQL_CLIENT } from '../storage.tokens';
import { ReadYourWrites } from './read-your-writes';

/** What the queries of libs/application read in the api: the store, and the read models with read-your-writes. */
export const READ_SIDE = Symbol('ReadSide');

export const readSideProvider: Provider = {
  provide: READ_SIDE,
  useFactory: (store: EventStore, sql: SqlClient, readYourWrites: ReadYourWrites): ReadSide => ({
    store,
    readModels: {
      query: sql.query,
      waitFor: (projection, minPosition) => readYourWrites.waitFor(projection, minPosition),
    },
  }),
  inject: [EVENT_STORE, SQL_CLIENT, ReadYourWrites],
};
