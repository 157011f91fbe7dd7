import { type CommandContext, domainMetadata, StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import { statusListUrl } from '@app/credentials';
import { decideIssuer, type Issuer, issuerDecider, type IssuerEvent, issuerStream } from '@app/domain';
import { type EventStore, readAllEvents } from '@app/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, TESSERA_CONFIG } from '../storage.tokens';
import { StatusListStore } from './status-list.store';

/** The answer to a compromise report: what the key may have signed, now signed by the current key. */
export interface CompromiseReport {
  issuerId: string;
  keyId: string;
  since: string;
  reportedAt: string;
  /** The key that signs the records listed from now on (the issuer's current key). */
  signingKeyId: string;
  awardIds: string[];
  qualificationIds: string[];
  statusLists: string[];
  counts: { awards: number; qualifications: number; statusLists: number };
  position: string;
}

/** What a key may have signed: every credential is signed on demand, so whatever the ledger made before it stopped. */
interface Signed {
  awardIds: string[];
  qualificationIds: string[];
  statusListIds: string[];
}

const RECORD_EVENTS = ['AchievementAwarded', 'QualificationConferred'];

/**
 * `POST /issuers/:issuerId/keys/:keyId/compromise`: finds what the key may have signed, and records the report and
 * the re-signing through the issuer decider (which refuses an unknown, current or already reported key).
 */
@Injectable()
export class KeyCompromise {
  constructor(
    private readonly streams: StreamCommands,
    private readonly statusEntries: StatusListStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  /**
   * `keyRef` is the key id, or its JWK thumbprint (the part after `#`), or the id or multibase of the Ed25519 Multikey
   * of the same key event: a report names the key event, and compromises both its keys.
   */
  async report(issuerId: string, keyRef: string, since: string, context: CommandContext): Promise<CompromiseReport> {
    const outcome = await this.streams.execute<Issuer, IssuerEvent>(
      issuerStream(issuerId),
      issuerDecider,
      context,
      async (issuer) => {
        const keys = issuer.status === 'registered' ? issuer.keys : [];
        const names = (id: string | undefined) => id !== undefined && (id === keyRef || id.endsWith(`#${keyRef}`));
        const key = keys.find((candidate) => names(candidate.keyId) || names(candidate.multikey?.id));
        const decide = (resigned: Signed) =>
          decideIssuer(
            {
              type: 'CompromiseIssuerKey',
              data: { issuerId, keyId: key?.keyId ?? keyRef, since, resigned },
              metadata: domainMetadata(context),
            },
            issuer,
          );
        // Refusals first (who may, which key, since), before the search through the ledger.
        decide({ awardIds: [], qualificationIds: [], statusListIds: [] });
        // The decider refuses the current key, so the key's window has closed: what it signed is fixed.
        return decide(await this.signedBefore(issuerId, key!.validUntil!));
      },
    );
    const reported = outcome.events.find((event) => event.type === 'IssuerKeyCompromised');
    const resigned = outcome.events.find((event) => event.type === 'IssuerCredentialsResigned');
    if (reported?.type !== 'IssuerKeyCompromised' || resigned?.type !== 'IssuerCredentialsResigned')
      throw new Error(`reporting key ${keyRef} of ${issuerId} compromised recorded no report`);
    const { awardIds, qualificationIds, statusListIds } = resigned.data;
    return {
      issuerId,
      keyId: reported.data.keyId,
      since: reported.data.since,
      reportedAt: reported.data.reportedAt,
      signingKeyId: resigned.data.keyId,
      awardIds,
      qualificationIds,
      statusLists: statusListIds.map((listId) => statusListUrl(this.config.publicUrl, issuerId, listId)),
      counts: { awards: awardIds.length, qualifications: qualificationIds.length, statusLists: statusListIds.length },
      position: outcome.position.toString(),
    };
  }

  /** The issuer's awards, qualifications and status lists the ledger made before the key stopped signing. */
  private async signedBefore(issuerId: string, validUntil: string): Promise<Signed> {
    const until = Date.parse(validUntil);
    const events = await readAllEvents(this.store, { filter: { eventTypes: RECORD_EVENTS }, visibility: 'committed' });
    const made = events.filter(
      (event) =>
        event.data.issuerId === issuerId && Date.parse(String(event.data.issuedAt ?? event.data.conferredAt)) < until,
    );
    const idsOf = (type: string, member: string) =>
      made.filter((event) => event.type === type).map((event) => String(event.data[member]));
    return {
      awardIds: idsOf('AchievementAwarded', 'awardId'),
      qualificationIds: idsOf('QualificationConferred', 'qualificationId'),
      statusListIds: await this.statusEntries.listsOpenedBefore(issuerId, new Date(until)),
    };
  }
}
