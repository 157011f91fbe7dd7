import {
  DomainError,
  learnerStream,
  parseQualificationStream,
  parseRecordStream,
  scopeTranscript,
  type TranscriptScope,
  type TranscriptState,
} from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { learnerHoldings, learnerIssuersProjection } from '@app/read-models';
import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { ReadYourWrites } from '../queries/read-your-writes';
import { SQL_CLIENT } from '../storage.tokens';
import type { Actor, Role } from './actor';

/**
 * What a caller sees of a learner: everything (the learner themself), or the streams their token's issuers hold
 * (`issuers`: those of the token that hold any; `streams`: the stream names, the learner's own stream included;
 * `scope`: their transcript part).
 */
export type LearnerView =
  | { readonly all: true }
  | {
      readonly all: false;
      readonly issuers: readonly string[];
      readonly streams: ReadonlySet<string>;
      readonly scope: TranscriptScope;
    };

const notYourLearner = (message: string) =>
  new ForbiddenException({ type: 'urn:tessera:problem:not-your-learner', title: 'Forbidden', message });

/** Whether the caller is the learner themself: they see all of their own records. */
export const isLearnerSelf = (actor: Actor, learnerId: string): boolean =>
  actor.roles.includes('learner') && actor.learner === learnerId;

/** Whether the caller reaches the learner as staff (through their issuers), not as the learner themself. */
export const actsAsStaff = (actor: Actor, learnerId: string): boolean =>
  !isLearnerSelf(actor, learnerId) && actor.roles.some((role) => role !== 'learner');

/** Whether the view shows this stream's events. */
export const showsStream = (view: LearnerView, stream: string): boolean => view.all || view.streams.has(stream);

/** The part of a folded transcript the view shows. */
export const scopedTranscript = (view: LearnerView, state: TranscriptState): TranscriptState =>
  view.all ? state : scopeTranscript(state, view.scope);

/**
 * Tenancy over a learner's records (issue 13): staff of an issuer see what that issuer holds of a learner — record
 * streams of its achievements (evidence included), qualifications of its pathways, a profile its registrar recorded —
 * read from the learner-issuers read model, never from a scan of the log.
 */
@Injectable()
export class LearnerAccess {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  /**
   * A learner token reaches its own learner, all of it; a token with one of the `staff` roles reaches what its issuers
   * hold (404 `unknown-learner` when they hold nothing of the learner, or, for the learner's own token, when no issuer
   * holds anything of them); anyone else 403 `not-your-learner`.
   * `readUpTo`: the position of the last event the answer is built from — the read model is waited for until it holds
   * that far (503 `projection-behind` after a bounded wait), so a stream just written is never left out.
   */
  async view(
    actor: Actor,
    learnerId: string,
    staff: readonly Role[],
    readUpTo?: bigint | string,
  ): Promise<LearnerView> {
    const self = isLearnerSelf(actor, learnerId);
    if (!self && !actor.roles.some((role) => staff.includes(role)))
      throw notYourLearner('a learner may only reach their own records');
    await this.readYourWrites.waitFor(learnerIssuersProjection.name, readUpTo?.toString());
    // A learner no issuer holds anything of is unknown, to their own token too: not a real learner with no records.
    const holdings = await learnerHoldings(this.sql.query, learnerId, self ? undefined : actor.issuers);
    if (holdings.length === 0)
      throw new DomainError(
        'unknown-learner',
        self
          ? `no issuer holds a record of the learner ${learnerId}`
          : `the issuers of this token hold no record of the learner ${learnerId}`,
      );
    if (self) return { all: true };
    // The learner's own stream says only that a profile was given or erased: staff who reach the learner see it.
    const streams = new Set([learnerStream(learnerId), ...holdings.map((holding) => holding.stream)]);
    return {
      all: false,
      issuers: [...new Set(holdings.map((holding) => holding.issuerId))].sort(),
      streams,
      scope: {
        achievementIds: new Set([...streams].flatMap((stream) => parseRecordStream(stream)?.achievementId ?? [])),
        pathwayIds: new Set([...streams].flatMap((stream) => parseQualificationStream(stream)?.pathwayId ?? [])),
      },
    };
  }

  /**
   * Who may keep a learner's profile: the learner themself, or a registrar acting for an issuer that holds a record of
   * the learner or registered the profile (`registeredBy`, from the learner's stream). `acting` are the issuers the
   * registrar acts for; `firstRegistration` lets a registrar record the profile of a learner no issuer holds yet.
   */
  async assertProfileKeeper(
    actor: Actor,
    learnerId: string,
    acting: readonly string[],
    registeredBy: readonly string[],
    firstRegistration = false,
  ): Promise<void> {
    if (isLearnerSelf(actor, learnerId)) return;
    if (!actor.roles.includes('registrar')) throw notYourLearner('a learner may only reach their own profile');
    if (acting.some((issuerId) => registeredBy.includes(issuerId))) return;
    if ((await learnerHoldings(this.sql.query, learnerId, acting)).length > 0) return;
    if (
      firstRegistration &&
      registeredBy.length === 0 &&
      (await learnerHoldings(this.sql.query, learnerId)).length === 0
    )
      return;
    throw notYourLearner(
      `only a registrar of an issuer that holds a record of ${learnerId} or registered their profile may keep it`,
    );
  }
}
