import type { SqlClient } from '@app/event-store';
import { loadCheckpoint, loadFailure } from '@app/read-models';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { SQL_CLIENT } from '../storage.tokens';

const WAIT_MS = 3000;
const POLL_MS = 15;

/**
 * Lets a client read what it just wrote: waits, briefly, until a projection has reached a position; at once 503
 * `projection-failed` when the projection is marked failed short of it.
 */
@Injectable()
export class ReadYourWrites {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async waitFor(projection: string, minPosition: string | undefined): Promise<void> {
    if (minPosition === undefined) return;
    const target = BigInt(minPosition);
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const [checkpoint, failure] = await Promise.all([
        loadCheckpoint(this.sql.query, projection),
        loadFailure(this.sql.query, projection),
      ]);
      if (checkpoint !== undefined && checkpoint >= target) return;
      // Failed after the position, it has applied every event before the failed one; failed short of it, waiting
      // cannot help, so it says so at once.
      if (failure && failure.position > target) return;
      if (failure)
        throw new ServiceUnavailableException({
          type: 'urn:tessera:problem:projection-failed',
          title: 'Read model failed',
          message: `the ${projection} read model is failed at position ${failure.position} (since ${failure.since.toISOString()}) and cannot reach position ${minPosition} until it is repaired`,
        });
      if (Date.now() >= deadline)
        throw new ServiceUnavailableException({
          type: 'urn:tessera:problem:projection-behind',
          title: 'Not caught up yet',
          message: `the ${projection} read model has not reached position ${minPosition} within ${WAIT_MS} ms; retry shortly`,
        });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
