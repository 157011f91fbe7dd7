import { StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import { buildAchievementCredential, credentialStatusEntry, type JsonObject } from '@app/credentials';
import {
  type Achievement,
  achievementDecider,
  type AchievementAwarded,
  type AchievementEvent,
  achievementStream,
  type AssessmentRecorded,
  type EvidenceSubmitted,
  findVersion,
  type Issuer,
  issuerDecider,
  type IssuerEvent,
  issuerStream,
  recordStream,
} from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { findAward } from '@app/read-models';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { LearnerProfileStore } from '../learners/learner-profile.store';
import { SQL_CLIENT, TESSERA_CONFIG } from '../storage.tokens';
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
    private readonly streams: StreamCommands,
    private readonly keys: IssuerKeyStore,
    private readonly profiles: LearnerProfileStore,
    private readonly statusEntries: StatusListStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  /** The award's credential, unsigned (with its status list entry), its issuer and when the ledger made it. */
  async build(awardId: string): Promise<{ credential: JsonObject; issuerId: string; issuedAt: string }> {
    const location = await findAward(this.sql.query, awardId);
    if (!location) throw notFound(awardId);
    const events = await this.streams.readStream(recordStream(location.learnerId, location.achievementId));
    const awarded = events.find(
      (event) => event.type === 'AchievementAwarded' && (event.data as { awardId?: string }).awardId === awardId,
    );
    if (!awarded) throw notFound(awardId);
    const award = awarded.data as unknown as AchievementAwarded['data'];
    const assessment = events
      .filter((event) => event.type === 'AssessmentRecorded')
      .map((event) => event.data as unknown as AssessmentRecorded['data'])
      .find((data) => data.assessmentId === award.assessmentId);
    const evidenceIds = new Set(assessment?.evidenceIds ?? []);
    const evidence = events
      .filter((event) => event.type === 'EvidenceSubmitted')
      .map((event) => event.data as unknown as EvidenceSubmitted['data'])
      .filter((data) => evidenceIds.has(data.evidenceId));
    const achievement = await this.streams.load<Achievement, AchievementEvent>(
      achievementStream(award.achievementId),
      achievementDecider,
    );
    const version = findVersion(achievement, award.version);
    const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(award.issuerId), issuerDecider);
    if (!version || issuer.status !== 'registered')
      throw new Error(`award ${awardId} names an achievement version or issuer the store does not hold`);
    const profile = await this.profiles.find(award.learnerId);
    const statusEntry = await this.statusEntries.entryFor(award.issuerId, awardCredentialKey(awardId));
    const credential = buildAchievementCredential({
      publicUrl: this.config.publicUrl,
      award,
      definition: version.definition,
      issuer,
      ...(assessment === undefined ? {} : { assessment }),
      evidence,
      ...(profile === undefined ? {} : { identity: { email: profile.email, salt: profile.identitySalt } }),
      credentialStatus: credentialStatusEntry(this.config.publicUrl, statusEntry),
    });
    return { credential, issuerId: award.issuerId, issuedAt: award.issuedAt };
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
