import { randomInt } from 'node:crypto';
import { STATUS_LIST_CAPACITY, type StatusEntryLocation } from '@app/credentials';
import type { SqlClient } from '@app/event-store';

/** A list takes new entries until it is half full, so a random free index is found in a try or two. */
const LIST_FILL_LIMIT = STATUS_LIST_CAPACITY / 2;
const MAX_TRIES = 64;

/** The status-entry key of an award's credential. Qualification credentials use their own prefix. */
export const awardCredentialKey = (awardId: string) => `award:${awardId}`;

type EntryRow = { issuer_id: string; list_id: number; status_index: number };

const location = (row: EntryRow): StatusEntryLocation => ({
  issuerId: row.issuer_id,
  listId: String(row.list_id),
  index: row.status_index,
});

/**
 * Which entry of which of its issuer's status lists each credential holds. An entry is allocated once, on first
 * need, and never moves or is reused: the primary key on the credential key and the unique (issuer, list, index) make
 * two credentials sharing an index impossible, and a per-issuer transaction lock serialises allocation. Indexes are
 * drawn at random (W3C Bitstring Status List §privacy: the position must not tell the order of issuance).
 */
export class StatusListStore {
  constructor(private readonly sql: SqlClient) {}

  /** The entry of the credential `credentialKey` (e.g. `award:{awardId}`) in a list of `issuerId`, allocated now if new. */
  async entryFor(issuerId: string, credentialKey: string): Promise<StatusEntryLocation> {
    const found = await this.find(credentialKey);
    if (found) return this.sameIssuer(found, issuerId, credentialKey);
    return this.sql.transaction(async (query) => {
      await query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tessera_status_entries:${issuerId}`]);
      const [raced] = await query<EntryRow>('SELECT * FROM tessera_status_entries WHERE credential_key = $1', [
        credentialKey,
      ]);
      if (raced) return this.sameIssuer(location(raced), issuerId, credentialKey);
      const [latest] = await query<{ list_id: number; entries: string }>(
        `SELECT list_id, count(*) AS entries FROM tessera_status_entries WHERE issuer_id = $1
         GROUP BY list_id ORDER BY list_id DESC LIMIT 1`,
        [issuerId],
      );
      const listId = !latest ? 1 : Number(latest.entries) < LIST_FILL_LIMIT ? latest.list_id : latest.list_id + 1;
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const [row] = await query<EntryRow>(
          `INSERT INTO tessera_status_entries (credential_key, issuer_id, list_id, status_index)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *`,
          [credentialKey, issuerId, listId, randomInt(STATUS_LIST_CAPACITY)],
        );
        if (row) return location(row);
      }
      throw new Error(`no free index found in status list ${listId} of ${issuerId} after ${MAX_TRIES} tries`);
    });
  }

  async find(credentialKey: string): Promise<StatusEntryLocation | undefined> {
    const [row] = await this.sql.query<EntryRow>('SELECT * FROM tessera_status_entries WHERE credential_key = $1', [
      credentialKey,
    ]);
    return row && location(row);
  }

  /** The entries of one list, index by credential key; none when the list has never been used. */
  async entries(issuerId: string, listId: number): Promise<Map<string, number>> {
    const rows = await this.sql.query<{ credential_key: string; status_index: number }>(
      'SELECT credential_key, status_index FROM tessera_status_entries WHERE issuer_id = $1 AND list_id = $2',
      [issuerId, listId],
    );
    return new Map(rows.map((row) => [row.credential_key, row.status_index]));
  }

  /** The ids of the issuer's lists whose first entry was allocated before `instant`, in order. */
  async listsOpenedBefore(issuerId: string, instant: Date): Promise<string[]> {
    const rows = await this.sql.query<{ list_id: number }>(
      `SELECT list_id FROM tessera_status_entries WHERE issuer_id = $1
       GROUP BY list_id HAVING min(allocated_at) < $2 ORDER BY list_id`,
      [issuerId, instant.toISOString()],
    );
    return rows.map((row) => String(row.list_id));
  }

  private sameIssuer(found: StatusEntryLocation, issuerId: string, credentialKey: string): StatusEntryLocation {
    if (found.issuerId !== issuerId)
      throw new Error(`${credentialKey} holds a status entry of issuer ${found.issuerId}, not of ${issuerId}`);
    return found;
  }
}
