import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { type CommandContext, deriveId, executeRecordCommand, StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import {
  type Actor,
  activeXapiClient,
  automatedAssessment,
  compareInstants,
  DomainError,
  isSlug,
  matchStatement,
  normaliseInstant,
  type RecordCommand,
  statementFacts,
  VOIDED_VERB,
  type XapiAssessedEvidence,
  type XapiIssuer,
} from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { Inject, Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { LearnerProfileStore, type XapiActorIfi } from '../learners/learner-profile.store';
import { SQL_CLIENT, TESSERA_CONFIG } from '../storage.tokens';
import { XapiError, xapiUnauthorized } from './xapi-errors';
import { XapiIssuerCache } from './xapi-issuer.cache';
import { statementProblems, XAPI_VERSIONS, type XapiVersion, voidsAVoiding } from './xapi-validation';

type Json = { [key: string]: unknown };

/** The platform a request comes from: an active xAPI client of an issuer, with that issuer's mappings. */
export interface XapiCaller {
  readonly issuerId: string;
  readonly clientId: string;
  readonly state: XapiIssuer;
}

/** SHA-256 (hex) of an xAPI client's secret: all that is kept of it. */
export const xapiSecretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

interface StatementRow {
  statement_id: string;
  statement: Json;
  digest: string;
  outcome: string;
  evidence: Array<{ learnerId: string; achievementId: string; evidenceId: string }>;
  voided_by: string | null;
  processed: boolean;
}

/**
 * The statements resource's work: who sends (HTTP Basic, an issuer's xAPI client), what a statement is evidence of
 * (the issuer's mappings), who it is about (the erasable profile store), and the ledger commands that follow —
 * evidence, an automated assessment and an award, or, for a voiding statement, the evidence withdrawn. Statements
 * themselves stay outside the ledger, in tessera_xapi_statements, deleted with the learner's profile.
 */
@Injectable()
export class XapiStatements {
  constructor(
    private readonly streams: StreamCommands,
    private readonly profiles: LearnerProfileStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
    private readonly issuers: XapiIssuerCache,
  ) {}

  /**
   * `clientId` is `{issuerId}.{random}`: the issuer's xAPI stream says whether it is active and its secret's hash (its
   * fold kept for a second: XapiIssuerCache).
   */
  async authenticate(header: string | undefined): Promise<XapiCaller> {
    const encoded = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '')?.[1];
    if (!encoded) throw xapiUnauthorized('HTTP Basic credentials of an xAPI client are required');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const clientId = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    const issuerId = clientId.split('.')[0];
    if (!isSlug(issuerId)) throw xapiUnauthorized('unknown xAPI client or wrong secret');
    const state = await this.issuers.get(issuerId);
    const client = activeXapiClient(state, clientId);
    const given = Buffer.from(xapiSecretHash(secret));
    if (!client || !timingSafeEqual(given, Buffer.from(client.secretHash)))
      throw xapiUnauthorized('unknown xAPI client, revoked, or wrong secret');
    return { issuerId, clientId, state };
  }

  /**
   * Stores statements (all or none are valid), then makes what each is evidence of. A statement id already stored with
   * the same content appends nothing more (unless its processing was cut short: it is finished); other content → 409.
   */
  async store(caller: XapiCaller, input: unknown[], version: XapiVersion, putId?: string): Promise<string[]> {
    const problems = input.flatMap((statement, index) =>
      statementProblems(statement, input.length === 1 && putId !== undefined ? 'statement' : `statement[${index}]`),
    );
    if (problems.length > 0) throw new XapiError(400, 'the statement is not valid xAPI', problems);
    const statements = input.map((item) => ({ ...(item as Json) }));
    if (putId !== undefined) {
      if (statements[0].id !== undefined && statements[0].id !== putId)
        throw new XapiError(400, 'the statement id differs from the statementId parameter');
      statements[0].id = putId;
    }
    for (const statement of statements) statement.id = String(statement.id ?? randomUUID()).toLowerCase();
    const ids = statements.map((statement) => statement.id as string);
    if (new Set(ids).size !== ids.length) throw new XapiError(400, 'a statement id appears twice in the request');
    if (statements.length === 1 && (statements[0].verb as Json).id !== VOIDED_VERB) {
      await this.storeOne(caller, statements[0], version);
      return ids;
    }

    const existing = await this.rows(caller.issuerId, [
      ...ids,
      ...statements
        .map((statement) => (statement.object as Json | undefined)?.id)
        .filter((id) => typeof id === 'string'),
    ] as string[]);
    const known = new Map(existing.map((row) => [row.statement_id, row]));
    for (const statement of statements) {
      if (voidsAVoiding(statement, (id) => known.get(id)?.statement))
        throw new XapiError(400, `statement ${String(statement.id)} voids a voiding statement`);
      const held = known.get(statement.id as string);
      if (held && held.digest !== digestOf(statement))
        throw new XapiError(409, `statement ${String(statement.id)} is already stored with other content`);
    }
    const now = new Date().toISOString();
    // Every new statement is stored before any is processed: its `stored` (the database's clock at its INSERT) is
    // then never long before it can be read, which X-Experience-API-Consistent-Through relies on.
    const toProcess: Json[] = [];
    for (const statement of statements) {
      const held = known.get(statement.id as string);
      if (held?.processed) continue;
      if (held) {
        toProcess.push(held.statement);
        continue;
      }
      const [inserted] = await this.sql.query<{ statement: Json }>(
        `INSERT INTO tessera_xapi_statements (statement_id, issuer_id, client_id, statement, digest, outcome)
         VALUES ($1, $2, $3, ${STORED_NOW}, $5, 'received') ON CONFLICT (statement_id) DO NOTHING RETURNING statement`,
        [
          statement.id,
          caller.issuerId,
          caller.clientId,
          this.asStored(statement, caller, version, now),
          digestOf(statement),
        ],
      );
      // A concurrent twin stored it first: it makes what the statement is evidence of.
      if (inserted) toProcess.push(inserted.statement);
    }
    for (const stored of toProcess) await this.process(caller, stored, now);
    return ids;
  }

  /**
   * One statement that voids nothing, as platforms send most: stored first (one round trip when its id is new), and
   * only when its id is held already compared with what is held. One that matches no mapping is stored as such, done.
   */
  private async storeOne(caller: XapiCaller, statement: Json, version: XapiVersion): Promise<void> {
    const now = new Date().toISOString();
    const stored = this.asStored(statement, caller, version, now);
    const digest = digestOf(statement);
    const unmatched = matchStatement(statementFacts(stored), caller.state.mappings).length === 0;
    const [inserted] = await this.sql.query<{ statement: Json }>(
      `INSERT INTO tessera_xapi_statements (statement_id, issuer_id, client_id, statement, digest, outcome, processed)
       VALUES ($1, $2, $3, ${STORED_NOW}, $5, $6, $7) ON CONFLICT (statement_id) DO NOTHING RETURNING statement`,
      [statement.id, caller.issuerId, caller.clientId, stored, digest, unmatched ? 'unmatched' : 'received', unmatched],
    );
    if (inserted) return unmatched ? undefined : this.process(caller, inserted.statement, now);
    const [held] = await this.rows(caller.issuerId, [statement.id as string]);
    // Held for another issuer: acknowledged, as a batch acknowledges it.
    if (!held) return;
    if (held.digest !== digest)
      throw new XapiError(409, `statement ${String(statement.id)} is already stored with other content`);
    if (!held.processed) await this.process(caller, held.statement, now);
  }

  /**
   * A statement as stored: its `timestamp` (when it happened; absent → now), `stored` (replaced by the database's
   * clock as it is inserted: STORED_NOW), `authority`, `version`.
   */
  private asStored(statement: Json, caller: XapiCaller, version: XapiVersion, now: string): Json {
    return {
      ...statement,
      timestamp: statement.timestamp ?? now,
      stored: now,
      authority: {
        objectType: 'Agent',
        account: { homePage: this.config.publicUrl, name: caller.clientId },
      },
      version: statement.version ?? XAPI_VERSIONS[version],
    };
  }

  private async process(caller: XapiCaller, statement: Json, now: string): Promise<void> {
    const statementId = statement.id as string;
    const actor: Actor = { sub: `tessera:xapi:${caller.clientId}`, roles: ['assessor'], issuers: [caller.issuerId] };
    const context = (...parts: string[]): CommandContext => ({
      commandId: deriveId('xapi', statementId, ...parts),
      correlationId: statementId,
      actor,
      now,
    });
    const run = (command: RecordCommand, ...parts: string[]) =>
      executeRecordCommand(this.streams, command, context(command.type, ...parts));
    const metadata = { now, actor };

    if ((statement.verb as Json).id === VOIDED_VERB) {
      const targetId = String((statement.object as Json).id).toLowerCase();
      const [target] = await this.rows(caller.issuerId, [targetId]);
      if (target) {
        await this.sql.query('UPDATE tessera_xapi_statements SET voided_by = $2 WHERE statement_id = $1', [
          targetId,
          statementId,
        ]);
        for (const { learnerId, achievementId, evidenceId } of target.evidence)
          await run(
            {
              type: 'WithdrawEvidence',
              data: {
                learnerId,
                achievementId,
                evidenceId,
                reason: `xAPI statement ${targetId} voided by ${statementId}`,
              },
              metadata,
            },
            evidenceId,
          ).catch(ignoreRefusal);
      }
      return this.finish(statementId, 'voiding', null, [], []);
    }

    const facts = statementFacts(statement);
    const matches = matchStatement(facts, caller.state.mappings);
    if (matches.length === 0) return this.finish(statementId, 'unmatched', null, [], []);
    const learnerId = await this.profiles.learnerOfXapiActor(actorOf(statement));
    if (learnerId === undefined) return this.finish(statementId, 'unknown-actor', null, [], []);

    const observedAt = compareInstants(facts.timestamp, now) > 0 ? now : (normaliseInstant(facts.timestamp) ?? now);
    const evidence: StatementRow['evidence'] = [];
    const assessed: Array<XapiAssessedEvidence & { achievementId: string }> = [];
    let refused = 0;
    for (const match of matches) {
      const { achievementId } = match;
      const evidenceId = deriveId('xapi-evidence', statementId, achievementId);
      try {
        await run(
          {
            type: 'SubmitEvidence',
            data: {
              learnerId,
              achievementId,
              evidenceId,
              kind: 'accomplishment',
              criterionIds: match.criterionIds,
              description: `xAPI statement ${statementId}: ${facts.verb} ${facts.activityId}${match.assessed
                .map((item) => ` (${item.criterionId}: ${item.level ?? 'no level'})`)
                .join('')}`,
              artifact: {
                url: `${this.config.publicUrl}/xapi/statements?statementId=${statementId}`,
                sha256: digestOf(statement),
              },
              observedBy: actor.sub,
              observedAt,
            },
            metadata,
          },
          achievementId,
        );
      } catch (error) {
        ignoreRefusal(error);
        refused++;
        continue;
      }
      evidence.push({ learnerId, achievementId, evidenceId });
      for (const item of match.assessed) assessed.push({ ...item, achievementId, evidenceId, observedAt });
    }
    // The automated assessment reads every standing statement's results, this one's included.
    if (assessed.length > 0)
      await this.sql.query(
        'UPDATE tessera_xapi_statements SET learner_id = $2, evidence = $3, assessed = $4 WHERE statement_id = $1',
        [statementId, learnerId, JSON.stringify(evidence), JSON.stringify(assessed)],
      );
    for (const achievementId of [...new Set(assessed.map((item) => item.achievementId))])
      await this.assess(learnerId, achievementId, statementId, run, metadata);
    return this.finish(
      statementId,
      evidence.length > 0 || refused === 0 ? 'matched' : 'refused',
      learnerId,
      evidence,
      assessed,
    );
  }

  /** The automated assessment after a statement that assessed: every standing statement's latest result per criterion. */
  private async assess(
    learnerId: string,
    achievementId: string,
    statementId: string,
    run: (command: RecordCommand, ...parts: string[]) => Promise<unknown>,
    metadata: { now: string; actor: Actor },
  ): Promise<void> {
    const rows = await this.sql.query<{ assessed: Array<XapiAssessedEvidence & { achievementId: string }> }>(
      `SELECT assessed FROM tessera_xapi_statements
       WHERE learner_id = $1 AND voided_by IS NULL AND assessed @> $2::jsonb`,
      [learnerId, JSON.stringify([{ achievementId }])],
    );
    const entries = rows.flatMap((row) => row.assessed).filter((item) => item.achievementId === achievementId);
    const { evidenceIds, results } = automatedAssessment(entries);
    if (evidenceIds.length === 0) return;
    try {
      const outcome = (await run(
        {
          type: 'RecordAssessment',
          data: {
            learnerId,
            achievementId,
            assessmentId: deriveId('xapi-assessment', statementId, achievementId),
            evidenceIds,
            results,
          },
          metadata,
        },
        achievementId,
      )) as { events: ReadonlyArray<{ type: string; data: { outcome?: string } }> };
      if (outcome.events[0]?.data.outcome !== 'passed') return;
      await run(
        {
          type: 'AwardAchievement',
          data: { learnerId, achievementId, awardId: deriveId('xapi-award', statementId, achievementId) },
          metadata,
        },
        achievementId,
      );
    } catch (error) {
      // Already held, a prerequisite missing, a revised rubric: the award waits for a person.
      ignoreRefusal(error);
    }
  }

  private async finish(
    statementId: string,
    outcome: string,
    learnerId: string | null,
    evidence: unknown[],
    assessed: unknown[],
  ): Promise<void> {
    await this.sql.query(
      `UPDATE tessera_xapi_statements SET outcome = $2, learner_id = COALESCE($3, learner_id), evidence = $4,
         assessed = $5, processed = true WHERE statement_id = $1`,
      [statementId, outcome, learnerId, JSON.stringify(evidence), JSON.stringify(assessed)],
    );
  }

  private rows(issuerId: string, ids: readonly string[]): Promise<StatementRow[]> {
    return this.sql.query<StatementRow>(
      `SELECT statement_id, statement, digest, outcome, evidence, voided_by, processed FROM tessera_xapi_statements
       WHERE issuer_id = $1 AND statement_id = ANY($2::text[])`,
      [issuerId, ids.map((id) => id.toLowerCase())],
    );
  }

  /** A stored statement: by id (404 when voided), or a voided one by its id (404 when not voided). */
  async find(issuerId: string, statementId: string, voided: boolean): Promise<Json> {
    const [row] = await this.rows(issuerId, [statementId]);
    if (!row || (row.voided_by !== null) !== voided)
      throw new XapiError(404, `no ${voided ? 'voided ' : ''}statement ${statementId}`);
    return row.statement;
  }

  /** What this issuer's platforms sent that the ledger does not hold: counts by reason, and the latest ones. */
  async unmatched(issuerId: string) {
    const counts = await this.sql.query<{ outcome: string; count: string }>(
      `SELECT outcome, count(*) AS count FROM tessera_xapi_statements WHERE issuer_id = $1 GROUP BY outcome`,
      [issuerId],
    );
    const latest = await this.sql.query<{ statement_id: string; outcome: string; statement: Json; stored_at: Date }>(
      `SELECT statement_id, outcome, statement, stored_at FROM tessera_xapi_statements
       WHERE issuer_id = $1 AND outcome IN ('unmatched', 'unknown-actor', 'refused')
       ORDER BY stored_at DESC, statement_id LIMIT 100`,
      [issuerId],
    );
    const byOutcome = Object.fromEntries(counts.map((row) => [row.outcome, Number(row.count)]));
    return {
      issuerId,
      received: counts.reduce((sum, row) => sum + Number(row.count), 0),
      matched: byOutcome.matched ?? 0,
      voiding: byOutcome.voiding ?? 0,
      notInLedger: {
        unmatched: byOutcome.unmatched ?? 0,
        unknownActor: byOutcome['unknown-actor'] ?? 0,
        refused: byOutcome.refused ?? 0,
      },
      // Without the actor: who a statement is about stays with the statement.
      statements: latest.map((row) => ({
        statementId: row.statement_id,
        reason: row.outcome,
        verb: (row.statement.verb as Json).id,
        object: (row.statement.object as Json).id,
        storedAt: row.stored_at.toISOString(),
      })),
    };
  }
}

/**
 * The statement ($4) with `stored` set to the time of its INSERT on the database's clock, to the millisecond (rounded
 * down): never before the transaction that stores it started, which is what X-Experience-API-Consistent-Through
 * (XapiConsistentThroughQuery) is reckoned from.
 */
const STORED_NOW = `jsonb_set($4::jsonb, '{stored}',
  to_jsonb(to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))`;

/** The content of a statement for idempotency: what the platform sent, without what the LRS adds on storing it. */
function digestOf(statement: Json): string {
  const content = Object.fromEntries(
    Object.entries(statement).filter(([key]) => !['stored', 'authority', 'version'].includes(key)),
  );
  return createHash('sha256')
    .update(canonicalize(content) ?? '')
    .digest('hex');
}

function actorOf(statement: Json): XapiActorIfi {
  const actor = (statement.actor ?? {}) as Json;
  const account = actor.account as Json | undefined;
  if (account && typeof account.homePage === 'string' && typeof account.name === 'string')
    return { account: { homePage: account.homePage, name: account.name } };
  if (typeof actor.mbox === 'string') return { mbox: actor.mbox };
  return typeof actor.mbox_sha1sum === 'string' ? { mbox_sha1sum: actor.mbox_sha1sum } : {};
}

function ignoreRefusal(error: unknown): void {
  if (!(error instanceof DomainError)) throw error;
}
