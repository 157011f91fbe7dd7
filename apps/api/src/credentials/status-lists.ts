import {
  buildStatusListCredential,
  type CredentialStatusValue,
  type JsonObject,
  StatusListUnavailable,
  verifyCredentialJwt,
} from '@app/credentials';
import { isSlug } from '@app/domain';
import { type EventStore, readAllEvents } from '@app/event-store';
import { HttpException } from '@nestjs/common';
import { decodeJwt } from 'jose';
import type { IssuerKeyStore } from './issuer-key.store';
import { awardCredentialKey, type StatusListStore } from './status-list.store';

/** A list id as it appears in a status list URL: a positive integer. */
export const isListId = (value: unknown): value is string => typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value);

/** Knows the current status of some credentials by key; keys it does not answer for are valid. */
export interface CredentialStatusSource {
  statuses(credentialKeys: readonly string[]): Promise<ReadonlyMap<string, CredentialStatusValue>>;
}

const AWARD_STATUS_EVENTS = ['AwardSuspended', 'AwardReinstated', 'AwardRevoked'] as const;
const STANDING_AFTER: Readonly<Record<string, CredentialStatusValue>> = {
  AwardSuspended: 'suspended',
  AwardReinstated: 'valid',
  AwardRevoked: 'revoked',
};

/**
 * Awards' status from the ledger as it stands (every committed event): the last suspension, reinstatement or
 * revocation of each award, a revocation being final. Status changes are rare, so one filtered read serves a list.
 */
export class AwardStatusSource implements CredentialStatusSource {
  constructor(private readonly store: EventStore) {}

  async statuses(credentialKeys: readonly string[]): Promise<ReadonlyMap<string, CredentialStatusValue>> {
    const wanted = new Set(credentialKeys);
    const statuses = new Map<string, CredentialStatusValue>();
    const events = await readAllEvents(this.store, {
      filter: { eventTypes: AWARD_STATUS_EVENTS },
      visibility: 'committed',
    });
    for (const event of events) {
      const key = awardCredentialKey(String(event.data.awardId));
      if (wanted.has(key) && statuses.get(key) !== 'revoked') statuses.set(key, STANDING_AFTER[event.type]);
    }
    return statuses;
  }
}

/** An issuer's status list, as the public route serves it and as verification fetches it. */
export class StatusLists {
  private readonly sources: CredentialStatusSource[] = [];

  constructor(
    private readonly entries: StatusListStore,
    private readonly keys: IssuerKeyStore,
    private readonly publicUrl: string,
    awardStatuses: CredentialStatusSource,
  ) {
    this.sources.push(awardStatuses);
  }

  /** Adds the statuses of another kind of credential (qualifications…) to the lists. */
  addSource(source: CredentialStatusSource): void {
    this.sources.push(source);
  }

  /** The unsigned list credential, or undefined when the issuer has no such list (no entry ever allocated in it). */
  async credential(issuerId: string, listId: number, now = new Date()): Promise<JsonObject | undefined> {
    const entries = await this.entries.entries(issuerId, listId);
    if (entries.size === 0) return undefined;
    const keys = [...entries.keys()];
    const values = new Map<number, CredentialStatusValue>();
    for (const source of this.sources)
      for (const [key, status] of await source.statuses(keys)) {
        const index = entries.get(key);
        if (index !== undefined && status !== 'valid') values.set(index, status);
      }
    return buildStatusListCredential({ publicUrl: this.publicUrl, issuerId, listId: String(listId), values, now });
  }

  /** The list credential in JSON-LD with the Data Integrity proof of the issuer's current key, for JSON-LD verifiers. */
  async withProof(list: JsonObject, issuerId: string): Promise<JsonObject> {
    return this.keys.signDataIntegrity(issuerId, list);
  }

  /** The list credential signed as a VC-JWT with the issuer's current key. */
  async signed(list: JsonObject, issuerId: string): Promise<string> {
    return this.keys.sign(issuerId, list);
  }

  /**
   * What an outside verifier does with `statusListCredential`, in-process: only lists this service publishes are
   * fetched; the list's VC-JWT must pass its own signature, key, issuer and dates checks before its bits are used.
   */
  async fetchVerified(url: string): Promise<JsonObject> {
    const prefix = `${this.publicUrl}/status-lists/`;
    // Issuer ids are slugs and list ids digits: a URL of ours needs no decoding.
    const [issuerId, listId, ...rest] = url.startsWith(prefix) ? url.slice(prefix.length).split('/') : [];
    if (!isSlug(issuerId) || !isListId(listId) || rest.length > 0)
      throw new StatusListUnavailable(`${url} is not a status list this service publishes`);
    const list = await this.credential(issuerId, Number(listId));
    if (!list) throw new StatusListUnavailable(`there is no status list ${url}`);
    let jwt: string;
    try {
      jwt = await this.signed(list, issuerId);
    } catch (error) {
      const detail =
        error instanceof HttpException
          ? String((error.getResponse() as { message?: unknown }).message)
          : (error as Error).message;
      throw new StatusListUnavailable(`the list ${url} could not be signed: ${detail}`);
    }
    const verification = await verifyCredentialJwt(jwt, (kid) => this.keys.find(kid));
    const failed = verification.checks.find((check) => !check.ok);
    if (failed) throw new StatusListUnavailable(`the list ${url} fails its ${failed.name} check: ${failed.reason}`);
    return decodeJwt(jwt).vc as JsonObject;
  }
}
