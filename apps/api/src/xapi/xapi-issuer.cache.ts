import { loadXapiIssuer, StreamCommands } from '@app/application';
import type { XapiIssuer } from '@app/domain';
import { Injectable } from '@nestjs/common';

/** How long a fold of an issuer's xAPI stream answers without reading the stream again. */
export const XAPI_ISSUER_TTL_MS = 1000;

interface Entry {
  readonly state: Promise<XapiIssuer>;
  readonly loadedAt: number;
}

/**
 * Each issuer's xAPI clients and mappings, as every statement needs them, kept for a second instead of read from the
 * ledger for each statement. An xAPI command of this process (a client registered or revoked, a mapping set) drops
 * its issuer's entry as soon as it is appended (see XapiCommandHandler), so here it holds from the next statement on;
 * one appended by another process of the api holds there within XAPI_ISSUER_TTL_MS. Statements arriving together
 * while an issuer is read share that one read.
 */
@Injectable()
export class XapiIssuerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly streams: StreamCommands) {}

  get(issuerId: string, now = Date.now()): Promise<XapiIssuer> {
    const entry = this.entries.get(issuerId);
    if (entry && now - entry.loadedAt < XAPI_ISSUER_TTL_MS) return entry.state;
    const state = loadXapiIssuer(this.streams, issuerId);
    const loaded = { state, loadedAt: now };
    this.entries.set(issuerId, loaded);
    // A failed read is not kept.
    state.catch(() => {
      if (this.entries.get(issuerId) === loaded) this.entries.delete(issuerId);
    });
    return state;
  }

  /** The issuer's xAPI stream has changed: the next statement reads it again. */
  forget(issuerId: string): void {
    this.entries.delete(issuerId);
  }
}
