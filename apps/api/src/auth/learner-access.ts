import { DomainError } from '@app/domain';
import { issuersView, type LearnerView, type ViewOfLearner } from '@app/application';
import type { SqlClient } from '@app/event-store';
import {
  type LearnerCache,
  type LearnerChanges,
  learnerHoldings,
  learnerHoldingsRead,
  learnerIssuersProjection,
} from '@app/read-models';
import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { ReadYourWrites } from '../queries/read-your-writes';
import { LEARNER_CHANGES, SQL_CLIENT } from '../storage.tokens';
import type { Actor, Role } from './actor';

type HoldingsRead = Awaited<ReturnType<typeof learnerHoldingsRead>>;

/** How many learners' holdings are kept (an LRU): about a kilobyte each. */
const KEPT_LEARNERS = 20_000;

const notYourLearner = (message: string) =>
  new ForbiddenException({ type: 'urn:tessera:problem:not-your-learner', title: 'Forbidden', message });

/** Whether the caller is the learner themself: they see all of their own records. */
export const isLearnerSelf = (actor: Actor, learnerId: string): boolean =>
  actor.roles.includes('learner') && actor.learner === learnerId;

/** Whether the caller reaches the learner as staff (through their issuers), not as the learner themself. */
export const actsAsStaff = (actor: Actor, learnerId: string): boolean =>
  !isLearnerSelf(actor, learnerId) && actor.roles.some((role) => role !== 'learner');

/**
 * Tenancy over a learner's records (issue 13): who reaches a learner, and as staff, what their issuers hold of them
 * (`issuersView`, read from the learner-issuers read model, never from a scan of the log).
 */
@Injectable()
export class LearnerAccess {
  /** Every issuer's holdings of a learner with the read model's position when read, until the learner changes. */
  private readonly holdings: LearnerCache<HoldingsRead> | undefined;

  constructor(
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(LEARNER_CHANGES) changes?: LearnerChanges,
  ) {
    this.holdings = changes?.cache(KEPT_LEARNERS);
  }

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
    const holdings = await this.holdingsUpTo(learnerId, self ? undefined : actor.issuers, readUpTo);
    // A learner no issuer holds anything of is unknown, to their own token too: not a real learner with no records.
    if (self) {
      if (holdings.length === 0)
        throw new DomainError('unknown-learner', `no issuer holds a record of the learner ${learnerId}`);
      return { all: true };
    }
    return issuersView(learnerId, holdings);
  }

  /**
   * What `issuers` (all, when undefined) hold of the learner, from a read model that has got at least to `readUpTo`:
   * one statement when it has, else the bounded wait of read-your-writes first.
   */
  private async holdingsUpTo(learnerId: string, issuers: readonly string[] | undefined, readUpTo?: bigint | string) {
    const upTo = (read: HoldingsRead) =>
      readUpTo === undefined || (read.checkpoint !== undefined && read.checkpoint >= BigInt(readUpTo));
    const ofIssuers = ({ holdings }: HoldingsRead) =>
      issuers === undefined ? holdings : holdings.filter((holding) => issuers.includes(holding.issuerId));
    // Every issuer's are read and kept, and the caller's issuers' taken from them, here.
    const read = () => learnerHoldingsRead(this.sql.query, learnerId);
    const kept = this.holdings?.get(learnerId);
    if (kept && upTo(kept)) return ofIssuers(kept);
    const fresh = await (this.holdings ? this.holdings.load(learnerId, read) : read());
    if (upTo(fresh)) return ofIssuers(fresh);
    await this.readYourWrites.waitFor(learnerIssuersProjection.name, readUpTo!.toString());
    return ofIssuers(await (this.holdings ? this.holdings.load(learnerId, read) : read()));
  }

  /** `view` as the queries take it: given the position of the last event the answer is built from. */
  viewFor(actor: Actor, learnerId: string, staff: readonly Role[]): ViewOfLearner {
    return (readUpTo) => this.view(actor, learnerId, staff, readUpTo);
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
