import type { ReadSide } from '@app/application';
import type { SqlClient } from '@app/event-store';
import type { LearnerChanges } from '@app/read-models';
import type { Actor } from '../../apps/api/src/auth/actor';
import { LearnerAccess } from '../../apps/api/src/auth/learner-access';
import { ReadYourWrites } from '../../apps/api/src/queries/read-your-writes';
import { ISSUER_ID } from '../../libs/domain/src/shared/testing/actors';
import { countingSqlClient } from './counting-sql-client';

/** The registrar of the fixtures' issuer. */
export const REGISTRAR: Actor = { sub: 'registry', roles: ['registrar'], issuers: [ISSUER_ID] };

/**
 * Staff transcript reads as the api makes them (read-your-writes, the access check), every statement counted; with
 * `changes`, through the caches that forget a learner when the projections announce a change to them.
 */
export function countedTranscriptReads(store: ReadSide['store'], inner: SqlClient, changes?: LearnerChanges) {
  const sql = countingSqlClient(inner);
  const readYourWrites = new ReadYourWrites(sql);
  const read: ReadSide = {
    store,
    readModels: {
      query: sql.query,
      waitFor: (projection, at) => readYourWrites.waitFor(projection, at),
      ...(changes ? { transcripts: changes.cache(100) } : {}),
    },
  };
  const access = new LearnerAccess(readYourWrites, sql, changes);
  const viewOf = (learnerId: string, actor: Actor = REGISTRAR) => access.viewFor(actor, learnerId, ['registrar']);
  return { sql, read, viewOf };
}
