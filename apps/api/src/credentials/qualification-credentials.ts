import { loadRuleCatalogue, StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import {
  buildQualificationCredential,
  type CredentialIssuer,
  credentialStatusEntry,
  type CredentialStatusValue,
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
import { type EventStore, readAllEvents } from '@app/event-store';
import { Inject, Injectable, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { LearnerProfileStore } from '../learners/learner-profile.store';
import { EVENT_STORE, TESSERA_CONFIG } from '../storage.tokens';
import { QualificationQuery } from './credential.queries';
import { StatusListStore } from './status-list.store';
import { type CredentialStatusSource, StatusLists } from './status-lists';

export const unknownQualification = (qualificationId: string) =>
  new NotFoundException({
    type: 'urn:tessera:problem:unknown-qualification',
    title: 'Not found',
    message: `no qualification ${qualificationId}`,
  });

/** The status-entry key of a qualification's credential. */
export const qualificationCredentialKey = (qualificationId: string) => `qualification:${qualificationId}`;

const ENDED = ['QualificationBasisInvalidated', 'QualificationRevoked'];

/**
 * Qualifications' status from the ledger as it stands: one invalidated (its basis lost an award) or revoked is
 * `revoked` in its issuer's list. Both are final: a learner who qualifies again gets a new qualification and credential.
 */
export class QualificationStatusSource implements CredentialStatusSource {
  constructor(private readonly store: EventStore) {}

  async statuses(credentialKeys: readonly string[]): Promise<ReadonlyMap<string, CredentialStatusValue>> {
    const wanted = new Set(credentialKeys);
    const statuses = new Map<string, CredentialStatusValue>();
    if (!credentialKeys.some((key) => key.startsWith(qualificationCredentialKey('')))) return statuses;
    const events = await readAllEvents(this.store, { filter: { eventTypes: ENDED }, visibility: 'committed' });
    for (const event of events) {
      const key = qualificationCredentialKey(String(event.data.qualificationId));
      if (wanted.has(key)) statuses.set(key, 'revoked');
    }
    return statuses;
  }
}

/** Loads what qualification credentials (and the CLR's pathways) are built from: ledger, pathway, issuer, titles. */
@Injectable()
export class QualificationCredentials implements OnModuleInit {
  constructor(
    private readonly streams: StreamCommands,
    private readonly profiles: LearnerProfileStore,
    private readonly statusEntries: StatusListStore,
    private readonly statusLists: StatusLists,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queryBus: QueryBus,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  /** Issuers' status lists carry qualification credentials' bits too. */
  onModuleInit(): void {
    this.statusLists.addSource(new QualificationStatusSource(this.store));
  }

  /** The credential of a qualification, found through the transcripts read model; 404 when none is known. */
  async build(qualificationId: string): Promise<{ credential: JsonObject; entry: QualificationEntry }> {
    const entry = await this.queryBus.execute(new QualificationQuery(qualificationId));
    if (!entry) throw unknownQualification(qualificationId);
    return { credential: await this.credentialOf(entry, await this.identity(entry.learnerId)), entry };
  }

  /** The credential of a qualification as conferred; its later ending shows in its status list entry. */
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
      credentialStatus: credentialStatusEntry(
        this.config.publicUrl,
        await this.statusEntries.entryFor(entry.issuerId, qualificationCredentialKey(entry.qualificationId)),
      ),
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
