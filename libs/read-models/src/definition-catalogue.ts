import type { RecordedEvent } from '@app/event-store';
import type { EntitySchema } from 'typeorm';
import type { Projection, SqlQuery } from './projection';
import { type RowModel, rowProjection } from './row-model';
import { tableOf } from './typeorm/entities';

/** What a catalogue keeps of a definition besides its folded state: the columns it is searched by. */
export interface CatalogueRow {
  readonly id: string;
  readonly issuerId: string;
  readonly status: string;
  /** The achievement's kind, or the pathway's award type. */
  readonly category: string;
  readonly title: string;
}

export interface DefinitionCatalogue<State, Event> {
  readonly name: string;
  /** The catalogue's table (one of the two entities of one shape). */
  readonly entity: EntitySchema;
  readonly streamPrefix: string;
  /** The definition an event belongs to, or undefined when the event is not one of the catalogue's. */
  idOf(event: Pick<RecordedEvent, 'type' | 'data'>): string | undefined;
  readonly initialState: () => State;
  /** The domain's own fold: the catalogue keeps exactly what the decider sees. */
  readonly evolve: (state: State, event: Event) => State;
  row(state: State): CatalogueRow | undefined;
}

export interface CatalogueFilter {
  readonly issuerId?: string;
  readonly category?: string;
  readonly status?: string;
}

/** A read model of versioned definitions (achievements, pathways), folded with the domain's evolve. */
export function definitionCatalogueProjection<State, Event>(catalogue: DefinitionCatalogue<State, Event>): Projection {
  const table = tableOf(catalogue.entity);
  const rows: RowModel<State> = {
    keysOf: (events) => events.map((event) => catalogue.idOf(event)).filter((id) => id !== undefined),
    async load(query, ids) {
      const found = await query<{ id: string; state: State }>(
        `SELECT id, state FROM ${table} WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
        [JSON.stringify(ids)],
      );
      return new Map(found.map((row) => [row.id, row.state]));
    },
    fold(events, states) {
      const changed = new Map<string, State>();
      for (const event of events) {
        const id = catalogue.idOf(event);
        if (id === undefined) continue;
        const before = changed.get(id) ?? states.get(id) ?? catalogue.initialState();
        changed.set(id, catalogue.evolve(before, { type: event.type, data: event.data } as Event));
      }
      return changed;
    },
    async write(query, states) {
      const updated = [...states.values()].flatMap((state) => {
        const row = catalogue.row(state);
        return row ? [{ ...row, state }] : [];
      });
      await query(
        `INSERT INTO ${table} (id, issuer_id, status, category, title, state)
         SELECT r->>'id', r->>'issuerId', r->>'status', r->>'category', r->>'title', r->'state'
         FROM jsonb_array_elements($1::jsonb) AS r
         ON CONFLICT (id) DO UPDATE SET issuer_id = EXCLUDED.issuer_id, status = EXCLUDED.status,
           category = EXCLUDED.category, title = EXCLUDED.title, state = EXCLUDED.state`,
        [JSON.stringify(updated)],
      );
    },
  };
  return rowProjection({
    name: catalogue.name,
    filter: { streamPrefix: catalogue.streamPrefix },
    version: 1,
    entities: [catalogue.entity],
    rows,
  });
}

/** The folded states in the catalogue, filtered, in a stable order. */
export async function listCatalogue<State>(query: SqlQuery, table: string, filter: CatalogueFilter): Promise<State[]> {
  const rows = await query<{ state: State }>(
    `SELECT state FROM ${table}
     WHERE ($1::text IS NULL OR issuer_id = $1) AND ($2::text IS NULL OR category = $2) AND ($3::text IS NULL OR status = $3)
     ORDER BY issuer_id, id`,
    [filter.issuerId ?? null, filter.category ?? null, filter.status ?? null],
  );
  return rows.map((row) => row.state);
}
