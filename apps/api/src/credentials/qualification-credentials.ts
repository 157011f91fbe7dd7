import { loadRuleCatalogue, readLearnerLedger, StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import {
  buildQualificationCredential,
  type CredentialIssuer,
  type JsonObject,
  type LearnerIdentity,
  type RuleTitles,
} from '@app/credentials';
import {
  findPathwayVersion,
  type Issuer,
  issuerDecider,
  type IssuerEvent,
  issuerStream,
  latestPathwayVersion,
  latestVersion,
  type Pathway,
  pathwayDecider,
  type PathwayEvent,
  pathwayStream,
  type QualificationEntry,
  type Rule,
} from '@app/domain';
import type { EventStore, SqlClient } from '@app/event-store';
import { findQualificationHolder } from '@app/read-models';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { LearnerProfileStore } from '../learners/learner-profile.store';
import { EVENT_STORE, SQL_CLIENT, TESSERA_CONFIG } from '../storage.tokens';

export const unknownQualification = (qualificationId: string) =>
  new NotFoundException({
    type: 'urn:tessera:problem:unknown-qualification',
    title: 'Not found',
    message: `no qualification ${qualificationId}`,
  });

/** Loads what qualification credentials (and the CLR's pathways) are built from: ledger, pathway, issuer, titles. */
@Injectable()
export class QualificationCredentials {
  constructor(
    private readonly streams: StreamCommands,
    private readonly profiles: LearnerProfileStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  /** The credential of a qualification, found through the transcripts read model; 404 when none is known. */
  async build(qualificationId: string): Promise<{ credential: JsonObject; entry: QualificationEntry }> {
    const learnerId = await findQualificationHolder(this.sql.query, qualificationId);
    const ledger = learnerId === undefined ? undefined : await readLearnerLedger(this.store, learnerId);
    const entry = ledger?.qualifications
      .flatMap(({ state }) => state.qualifications)
      .find((candidate) => candidate.qualificationId === qualificationId);
    if (!entry) throw unknownQualification(qualificationId);
    return { credential: await this.credentialOf(entry, await this.identity(entry.learnerId)), entry };
  }

  /** The credential of a qualification as conferred (its later ending shows in its status, not in its content). */
  async credentialOf(entry: QualificationEntry, identity: LearnerIdentity | undefined): Promise<JsonObject> {
    const version = findPathwayVersion(await this.pathway(entry.pathwayId), entry.version);
    if (!version) throw new Error(`qualification ${entry.qualificationId} names a pathway version the store lacks`);
    return buildQualificationCredential({
      publicUrl: this.config.publicUrl,
      qualification: entry,
      definition: version.definition,
      issuer: await this.issuer(entry.issuerId),
      titles: await this.titles([version.definition.rule]),
      ...(identity === undefined ? {} : { identity }),
    });
  }

  /** The learner's salted identity from their profile; none once erased. */
  async identity(learnerId: string): Promise<LearnerIdentity | undefined> {
    const profile = await this.profiles.find(learnerId);
    return profile && { email: profile.email, salt: profile.identitySalt };
  }

  async pathway(pathwayId: string): Promise<Pathway> {
    return this.streams.load<Pathway, PathwayEvent>(pathwayStream(pathwayId), pathwayDecider);
  }

  async issuer(issuerId: string): Promise<CredentialIssuer> {
    const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
    if (issuer.status !== 'registered') throw new Error(`the issuer ${issuerId} is not registered`);
    return issuer;
  }

  /** Titles of everything the rules reach (latest versions), for criteria narratives. */
  async titles(rules: readonly Rule[]): Promise<RuleTitles> {
    const catalogue = await loadRuleCatalogue(this.streams, rules);
    const title = (version: { definition: { title: string } } | undefined) => version?.definition.title;
    return {
      achievement: (id) => {
        const achievement = catalogue.achievements.get(id);
        return title(achievement && latestVersion(achievement));
      },
      pathway: (id) => {
        const pathway = catalogue.pathways.get(id);
        return title(pathway && latestPathwayVersion(pathway));
      },
    };
  }
}
