import type { DefinedPathway, LearnerLedger } from '@app/application';
import type { TesseraConfig } from '@app/config';
import {
  buildClrCredential,
  type ClrAward,
  type ClrPathway,
  type JsonObject,
  pathwayAchievement,
  pathwaysInClr,
} from '@app/credentials';
import {
  foldTranscript,
  learnerStream,
  transcriptAt,
  transcriptStateEffectiveAt,
  type PathwayVersion,
  type QualificationEntry,
  type Rule,
} from '@app/domain';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { TESSERA_CONFIG } from '../storage.tokens';
import { AwardCredentials } from './award-credentials';
import { DefinedPathwaysQuery, LearnerLedgerQuery } from './credential.queries';
import { IssuerKeyStore } from './issuer-key.store';
import { QualificationCredentials } from './qualification-credentials';

/** The versions of a pathway published by `at`: a CLR as of an instant shows pathways as they stood then. */
function pathwayAt(pathway: DefinedPathway, at: string): DefinedPathway | undefined {
  const versions = pathway.versions.filter((version) => version.publishedAt <= at);
  return versions.length === 0 ? undefined : { ...pathway, versions };
}

/** A CLR is issued by one issuer: 400 when several could issue it and none is named. */
export function issuerRequired(issuers: readonly string[], why: string): BadRequestException {
  return new BadRequestException({
    type: 'urn:tessera:problem:issuer-required',
    title: 'Invalid input',
    message: `${why} (${issuers.join(', ')}): a CLR is issued by one, name it with ?issuer=`,
    errors: [{ path: 'issuer', code: 'issuer-required', message: `one of ${issuers.join(', ')}` }],
  });
}

/**
 * A learner's Comprehensive Learner Record from one issuer as a CLR 2.0 ClrCredential: what `GET
 * /learners/:learnerId/clr` serves and the CLI prints.
 */
@Injectable()
export class ClrCredentials {
  constructor(
    private readonly awards: AwardCredentials,
    private readonly qualifications: QualificationCredentials,
    private readonly keys: IssuerKeyStore,
    private readonly queryBus: QueryBus,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  /**
   * The CLR of `learnerId` now or as of `asOf`, issued by `issuer` (needed when the learner holds credentials of several
   * issuers): 400 without it then, 404 when the learner held nothing valid. `ledger`: the learner's ledger as of
   * `asOf`, when the caller has read it already. With `effectiveAt`: of what the learner had achieved by then, by the
   * dates things happened, as the transcript at that effective date reads it.
   */
  async build(
    learnerId: string,
    options: { asOf?: Date; effectiveAt?: Date; issuer?: string; ledger?: LearnerLedger } = {},
  ): Promise<{ credential: JsonObject; issuerId: string }> {
    const { asOf } = options;
    learnerStream(learnerId); // a malformed learner id is a 400
    const at = (asOf ?? new Date()).toISOString();
    const effectiveAt = options.effectiveAt?.toISOString();
    const ledger = options.ledger ?? (await this.queryBus.execute(new LearnerLedgerQuery(learnerId, asOf)));
    // The transcript's fold over the same events says which awards were valid then, and whose they are; at an
    // effective date, the fold's state by then (as ?effectiveAt= on the transcript and on progress read it).
    const folded = foldTranscript(learnerId, ledger.events);
    const held = effectiveAt === undefined ? folded : transcriptStateEffectiveAt(folded, effectiveAt);
    const shown = transcriptAt(held, effectiveAt ?? at);
    const validAwards = shown.awards.filter((award) => award.status === 'valid');
    const inForce = new Set(
      shown.qualifications.filter((entry) => entry.status === 'conferred').map((entry) => entry.qualificationId),
    );
    // A qualification ended after the effective date was in force at it (its credential is as its conferral recorded
    // it; its standing since is the credential status's business).
    const conferred = ledger.qualifications.flatMap(({ state }) =>
      state.qualifications.filter((entry) => inForce.has(entry.qualificationId)),
    );
    const issuers = [...new Set([...validAwards, ...conferred].map((held) => held.issuerId))].sort();
    if (options.issuer === undefined && issuers.length > 1)
      throw issuerRequired(issuers, 'the learner holds credentials of several issuers');
    const issuerId = options.issuer ?? issuers[0];
    // Each award's credential exactly as its own route builds it (status entry included).
    const own: ClrAward[] = [];
    for (const { awardId, achievementId } of validAwards.filter((award) => award.issuerId === issuerId))
      own.push({ awardId, achievementId, credential: (await this.awards.build(awardId)).credential });
    const ownQualifications = conferred.filter((entry) => entry.issuerId === issuerId);
    if (issuerId === undefined || own.length + ownQualifications.length === 0)
      throw new NotFoundException({
        type: 'urn:tessera:problem:empty-record',
        title: 'Not found',
        message: `the learner ${learnerId} held no valid award or qualification${options.issuer === undefined ? '' : ` of ${issuerId}`} at ${effectiveAt ?? at}: there is nothing to put in a CLR`,
      });
    const identity = await this.qualifications.identity(learnerId);
    const qualifications: JsonObject[] = [];
    for (const entry of ownQualifications) qualifications.push(await this.qualifications.credentialOf(entry, identity));
    const credential = buildClrCredential({
      publicUrl: this.config.publicUrl,
      learnerId,
      at,
      ...(effectiveAt === undefined ? {} : { effectiveAt }),
      ...(identity === undefined ? {} : { identity }),
      issuer: await this.qualifications.issuer(issuerId),
      partial: issuers.length > 1,
      awards: own,
      qualifications,
      pathways: await this.pathways(issuerId, new Set(own.map((award) => award.achievementId)), ownQualifications, at),
    });
    return { credential, issuerId };
  }

  /**
   * The CLR in its JSON form: each embedded credential with its own Data Integrity proof, as its route serves it (so
   * it verifies on its own, as in 1EdTech's CLR example), and the CLR with its proof over them, all by the issuer's
   * current key (a CLR holds only its issuer's credentials).
   */
  async withProof(clr: { credential: JsonObject; issuerId: string }): Promise<JsonObject> {
    const subject = clr.credential.credentialSubject as JsonObject;
    const embedded: JsonObject[] = [];
    for (const credential of subject.verifiableCredential as JsonObject[])
      embedded.push(await this.keys.signDataIntegrity(clr.issuerId, credential));
    const credential = { ...clr.credential, credentialSubject: { ...subject, verifiableCredential: embedded } };
    return this.keys.signDataIntegrity(clr.issuerId, credential);
  }

  /** The CLR as a VC-JWT signed with its issuer's current key. */
  async sign(clr: { credential: JsonObject; issuerId: string }): Promise<string> {
    return this.keys.sign(clr.issuerId, clr.credential);
  }

  /**
   * The issuer's pathways the CLR shows, each at the version conferred on the learner (else the latest published by `at`):
   * those conferred, and those whose rule names what the learner holds (progress).
   */
  private async pathways(
    issuerId: string,
    heldAchievementIds: ReadonlySet<string>,
    conferred: readonly QualificationEntry[],
    at: string,
  ): Promise<ClrPathway[]> {
    const qualificationOf = new Map(conferred.map((entry) => [entry.pathwayId, entry]));
    const shownVersions = new Map<string, { pathway: DefinedPathway; version: PathwayVersion }>();
    for (const current of await this.queryBus.execute(new DefinedPathwaysQuery())) {
      const pathway = current.issuerId === issuerId ? pathwayAt(current, at) : undefined;
      const held = qualificationOf.get(current.pathwayId);
      const version =
        pathway &&
        ((held && pathway.versions.find((candidate) => candidate.version === held.version)) ??
          pathway.versions[pathway.versions.length - 1]);
      if (pathway && version) shownVersions.set(pathway.pathwayId, { pathway, version });
    }
    const rules = new Map<string, Rule>(
      [...shownVersions].map(([pathwayId, { version }]) => [pathwayId, version.definition.rule]),
    );
    const shown = pathwaysInClr(rules, heldAchievementIds, new Set(qualificationOf.keys()));
    const titles = await this.qualifications.titles(shown.map((pathwayId) => rules.get(pathwayId)!));
    const result: ClrPathway[] = [];
    for (const pathwayId of shown) {
      const { pathway, version } = shownVersions.get(pathwayId)!;
      const achievement = pathwayAchievement(
        this.config.publicUrl,
        {
          pathwayId,
          version: version.version,
          definition: version.definition,
          issuer: await this.qualifications.issuer(pathway.issuerId),
        },
        titles,
      );
      result.push({
        pathwayId,
        achievement,
        rule: version.definition.rule,
        basisAwardIds: qualificationOf.get(pathwayId)?.basis.awardIds ?? [],
      });
    }
    return result;
  }
}
