import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@app/event-store';
import type { Projection } from '@app/read-models';
import { EntitySchema } from 'typeorm';

/** A projection whose fold cannot apply a `Poison` event while the cause is present. */
export interface PoisonedProjection extends Projection {
  /** Set to false to remove the cause (as a fix deployed would). */
  causePresent: boolean;
  /** How many times the fold was given each position (a retry gives it again). */
  readonly attempts: Map<bigint, number>;
}

/**
 * Records each event id it applies in its own table (a primary key: an event applied twice fails), and throws on a
 * `Poison` event while `causePresent`.
 */
export function poisonedProjection(name: string, table: string, streamPrefix: string): PoisonedProjection {
  const projection: PoisonedProjection = {
    name,
    version: 1,
    filter: { streamPrefix },
    // A test's table, not the product's (those the migrations make): its first batch makes it.
    entities: [new EntitySchema({ name: table, columns: { event_id: { type: 'uuid', primary: true } } })],
    causePresent: true,
    attempts: new Map(),
    async apply(events, query) {
      await query(`CREATE TABLE IF NOT EXISTS ${table} (event_id uuid PRIMARY KEY)`);
      for (const event of events)
        projection.attempts.set(event.position, (projection.attempts.get(event.position) ?? 0) + 1);
      await query(`INSERT INTO ${table} SELECT jsonb_array_elements_text($1::jsonb)::uuid`, [
        JSON.stringify(events.map((event) => event.id)),
      ]);
      const poison = events.find((event) => event.type === 'Poison');
      if (poison && projection.causePresent) throw new Error(`cannot apply the poison at ${poison.position}`);
    },
  };
  return projection;
}

/** `before` plain events, a `Poison` event, then `after` plain events. */
export const poisonedEvents = (before: number, after: number): NewEvent[] =>
  Array.from({ length: before + 1 + after }, (_, index) => ({
    id: randomUUID(),
    type: index === before ? 'Poison' : 'Step',
    data: { index },
  }));

/** Polls until `check` answers something other than undefined or false, and answers it. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
