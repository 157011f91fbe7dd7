import { readLearnerLedger } from '@app/application';
import { foldTranscript, learnerStream } from '@app/domain';
import type { EventStore, SqlClient } from '@app/event-store';
import { learnerHoldings } from '@app/read-models';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AwardCredentials } from '../credentials/award-credentials';
import { EVENT_STORE, SQL_CLIENT } from '../storage.tokens';
import { ExternalCredentialStore } from './external-credentials.store';
import { ImsxError } from './imsx';
import type { OAuthUser } from './oauth.store';

/** One credential of the list: signed ones as compact JWS, unsigned JSON ones as objects. */
export type HeldCredential = { readonly issuedAt: string } & (
  { readonly jwt: string } | { readonly json: Record<string, unknown> }
);

/** Whose credentials an OAuth token reaches, and which of them. */
export interface CredentialHolder {
  readonly learnerId: string;
  /** An institution's token sees only its own issuer's awards of the learner, no external credential. */
  readonly issuerId?: string;
}

/**
 * The credentials an OB 3.0 API token reaches: a learner's own token, all their awards (each the VC-JWT
 * `GET /awards/:id/credential?format=jwt` serves) and the credentials they upserted; an institution's token, for the
 * learner it names, the awards of its issuer — nothing of a learner its issuer holds no record of.
 */
@Injectable()
export class LearnerCredentials {
  constructor(
    private readonly awards: AwardCredentials,
    private readonly external: ExternalCredentialStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  /** The holder a token acts for; an institution names the learner with `?learner=`. */
  async holder(user: OAuthUser, learnerParameter: unknown): Promise<CredentialHolder> {
    if ('learnerId' in user) return { learnerId: user.learnerId };
    if (typeof learnerParameter !== 'string' || learnerParameter.length === 0)
      throw new ImsxError(
        HttpStatus.BAD_REQUEST,
        'an institution’s token names the learner with ?learner=<learnerId>',
        'invalid_query_parameter',
      );
    try {
      learnerStream(learnerParameter);
    } catch {
      throw new ImsxError(HttpStatus.BAD_REQUEST, `not a learner id: ${learnerParameter}`, 'invalid_query_parameter');
    }
    if ((await learnerHoldings(this.sql.query, learnerParameter, [user.issuerId])).length === 0)
      throw new ImsxError(
        HttpStatus.NOT_FOUND,
        `the issuer ${user.issuerId} holds no record of the learner ${learnerParameter}`,
        'not_found',
      );
    return { learnerId: learnerParameter, issuerId: user.issuerId };
  }

  /** Every credential of the holder, oldest first. */
  async list(holder: CredentialHolder): Promise<HeldCredential[]> {
    const ledger = await readLearnerLedger({ store: this.store, query: this.sql.query }, holder.learnerId);
    const awards = foldTranscript(holder.learnerId, ledger.events).awards.filter(
      (award) => holder.issuerId === undefined || award.issuerId === holder.issuerId,
    );
    const held: HeldCredential[] = [];
    for (const award of awards) held.push({ issuedAt: award.issuedAt, jwt: await this.awards.signed(award.awardId) });
    if (holder.issuerId === undefined)
      for (const outside of await this.external.list(holder.learnerId)) {
        const issuedAt = outside.validFrom ?? '';
        held.push(
          outside.format === 'jwt'
            ? { issuedAt, jwt: outside.credential }
            : { issuedAt, json: JSON.parse(outside.credential) as Record<string, unknown> },
        );
      }
    return held.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  }
}
