import type { TesseraConfig } from '@app/config';
import { buildAchievementCredential, buildAwardEdc, credentialStatusEntry, type JsonObject } from '@app/credentials';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { AwardCredentialInputs } from '@app/application';
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

/** 409: a record revoked, suspended or ended gets no EDC, which could not say so. */
export const edcNotInForce = (what: string) =>
  new ConflictException({
    type: 'urn:tessera:problem:record-not-in-force',
    title: 'Conflict',
    message: `${what}: a European Digital Credential carries no status a verifier could check, so none is issued for it`,
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

  /** What an award's credentials are built from, from the ledger; 404 for an unknown award. */
  async load(awardId: string): Promise<AwardCredentialInputs> {
    const inputs = await this.queryBus.execute(new AwardCredentialInputsQuery(awardId));
    if (!inputs) throw notFound(awardId);
    return inputs;
  }

  /** The award's credential, unsigned (with its status list entry), its issuer and when the ledger made it. */
  async build(awardId: string): Promise<{ credential: JsonObject; issuerId: string; issuedAt: string }> {
    const { award, assessment, evidence, definition, issuer } = await this.load(awardId);
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

  /**
   * The award as a European Digital Credential (unsigned JSON-LD), naming the learner while their profile exists.
   * An EDC carries no status a verifier could read, so none is issued for an award revoked or suspended (409).
   */
  async edc(awardId: string): Promise<{ credential: JsonObject; learnerId: string; issuerId: string }> {
    const { standing, ...part } = await this.load(awardId);
    if (standing !== 'active') throw edcNotInForce(`the award ${awardId} is ${standing}`);
    const profile = await this.profiles.find(part.award.learnerId);
    const credential = buildAwardEdc({
      publicUrl: this.config.publicUrl,
      ...part,
      ...(profile === undefined ? {} : { learnerName: profile.name }),
    });
    return { credential, learnerId: part.award.learnerId, issuerId: part.award.issuerId };
  }

  /** The award's credential in its JSON form, with the embedded Data Integrity proof of its issuer's current key. */
  async json(awardId: string): Promise<JsonObject> {
    const { credential, issuerId } = await this.build(awardId);
    return this.keys.signDataIntegrity(issuerId, credential);
  }

  /** The award's credential as a VC-JWT signed with its issuer's current key. */
  async signed(awardId: string): Promise<string> {
    const { credential, issuerId } = await this.build(awardId);
    return this.keys.sign(issuerId, credential);
  }
}
