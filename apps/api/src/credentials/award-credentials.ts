import type { TesseraConfig } from '@app/config';
import { buildAchievementCredential, credentialStatusEntry, type JsonObject } from '@app/credentials';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { LearnerProfileStore } from '../learners/learner-profile.store';
import { TESSERA_CONFIG } from '../storage.tokens';
import { AwardCredentialInputsQuery } from './credential.queries';
import { IssuerKeyStore } from './issuer-key.store';
import { awardCredentialKey, StatusListStore } from './status-list.store';

const notFound = (awardId: string) =>
  new NotFoundException({
    type: 'urn:tessera:problem:unknown-award',
    title: 'Not found',
    message: `no award ${awardId}`,
  });

/**
 * Awards as Open Badges 3.0 AchievementCredentials: what `GET /awards/:awardId/credential` serves, the CLR embeds and
 * the CLI prints — one builder for all three.
 */
@Injectable()
export class AwardCredentials {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly keys: IssuerKeyStore,
    private readonly profiles: LearnerProfileStore,
    private readonly statusEntries: StatusListStore,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  /** The award's credential, unsigned (with its status list entry), its issuer and when the ledger made it. */
  async build(awardId: string): Promise<{ credential: JsonObject; issuerId: string; issuedAt: string }> {
    const inputs = await this.queryBus.execute(new AwardCredentialInputsQuery(awardId));
    if (!inputs) throw notFound(awardId);
    const { award, assessment, evidence, definition, issuer } = inputs;
    const profile = await this.profiles.find(award.learnerId);
    const statusEntry = await this.statusEntries.entryFor(award.issuerId, awardCredentialKey(awardId));
    const credential = buildAchievementCredential({
      publicUrl: this.config.publicUrl,
      award,
      definition,
      issuer,
      ...(assessment === undefined ? {} : { assessment }),
      evidence,
      ...(profile === undefined ? {} : { identity: { email: profile.email, salt: profile.identitySalt } }),
      credentialStatus: credentialStatusEntry(this.config.publicUrl, statusEntry),
    });
    return { credential, issuerId: award.issuerId, issuedAt: award.issuedAt };
  }

  /** The award's credential as a VC-JWT signed with its issuer's current key. */
  async signed(awardId: string): Promise<string> {
    const { credential, issuerId } = await this.build(awardId);
    return this.keys.sign(issuerId, credential);
  }
}
