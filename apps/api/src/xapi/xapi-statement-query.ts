import { createHash } from 'node:crypto';
import type { SqlClient } from '@app/event-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler } from '@nestjs/cqrs';
import { LearnerProfileStore, type XapiAccount } from '../learners/learner-profile.store';
import { SQL_CLIENT } from '../storage.tokens';
import { XapiError } from './xapi-errors';

type Json = { [key: string]: unknown };

/** The most statements one page holds (`limit=0` or more than this: this many). */
export const XAPI_QUERY_MAX = 500;

/** An Inverse Functional Identifier of an Agent or identified Group: the one an `agent` filter names. */
export interface XapiIfi {
  readonly mbox?: string;
  readonly mbox_sha1sum?: string;
  readonly openid?: string;
  readonly account?: XapiAccount;
}

export type XapiFormat = 'exact' | 'ids' | 'canonical';

/** What a statement query asks (xAPI 2.0 Part Three §4.1.6.3), as a `more` cursor carries it to the next page. */
export interface XapiStatementFilter {
  readonly agent?: XapiIfi;
  readonly verb?: string;
  readonly activity?: string;
  readonly registration?: string;
  readonly since?: string;
  readonly until?: string;
  readonly relatedActivities: boolean;
  readonly relatedAgents: boolean;
  readonly ascending: boolean;
  readonly limit: number;
  readonly format: XapiFormat;
}

/** Where a page starts: `bound`, the last seq stored when the first page was asked; `after`, the last seq returned. */
export interface XapiQueryPosition {
  readonly bound: string;
  readonly after: string;
}

export interface XapiStatementPage {
  readonly statements: Json[];
  /** The cursor of the next page, when there is one. */
  readonly more?: string;
  /** The latest `stored` of the statements returned (Last-Modified). */
  readonly lastStored?: string;
}

const PARAMETERS = new Set([
  'statementId',
  'voidedStatementId',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  'cursor',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An ISO 8601 instant with its offset, as xAPI timestamps are. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

/** The query string's parameters, strings only (a repeated or bracketed parameter is a 400). */
export function xapiQueryParameters(query: Record<string, unknown>): Record<string, string> {
  const unknown = Object.keys(query).filter((name) => !PARAMETERS.has(name));
  if (unknown.length > 0) throw new XapiError(400, `unknown query parameter ${unknown.join(', ')}`);
  for (const [name, value] of Object.entries(query))
    if (typeof value !== 'string') throw new XapiError(400, `${name} must be given once, as a string`);
  return query as Record<string, string>;
}

/** The statement query a request asks: its parameters checked (any problem: 400, and nothing is read). */
export function xapiStatementFilter(parameters: Record<string, string>): XapiStatementFilter {
  const { agent, verb, activity, registration, since, until, limit, format } = parameters;
  if (parameters.attachments !== undefined && !['true', 'false'].includes(parameters.attachments))
    throw new XapiError(400, 'attachments must be true or false');
  if (parameters.attachments === 'true')
    throw new XapiError(400, 'attachments are not served: Tessera stores no attachment content (attachments=false)');
  if (verb !== undefined && !IRI.test(verb)) throw new XapiError(400, 'verb must be an IRI');
  if (activity !== undefined && !IRI.test(activity)) throw new XapiError(400, 'activity must be an IRI');
  if (registration !== undefined && !UUID.test(registration)) throw new XapiError(400, 'registration must be a UUID');
  const instant = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const time = Date.parse(value);
    if (!INSTANT.test(value) || Number.isNaN(time))
      throw new XapiError(400, `${name} must be an ISO 8601 timestamp with its time zone`);
    return new Date(time).toISOString();
  };
  const flag = (name: string) => {
    const value = parameters[name];
    if (value === undefined || value === 'false') return false;
    if (value === 'true') return true;
    throw new XapiError(400, `${name} must be true or false`);
  };
  if (limit !== undefined && !/^\d{1,9}$/.test(limit)) throw new XapiError(400, 'limit must be a whole number ≥ 0');
  const asked = limit === undefined ? XAPI_QUERY_MAX : Number(limit);
  if (format !== undefined && !['exact', 'ids', 'canonical'].includes(format))
    throw new XapiError(400, 'format must be exact, ids or canonical');
  return {
    ...(agent !== undefined ? { agent: ifiOf(agent) } : {}),
    ...(verb !== undefined ? { verb } : {}),
    ...(activity !== undefined ? { activity } : {}),
    ...(registration !== undefined ? { registration: registration.toLowerCase() } : {}),
    ...(since !== undefined ? { since: instant('since', since) } : {}),
    ...(until !== undefined ? { until: instant('until', until) } : {}),
    relatedActivities: flag('related_activities'),
    relatedAgents: flag('related_agents'),
    ascending: flag('ascending'),
    limit: asked === 0 || asked > XAPI_QUERY_MAX ? XAPI_QUERY_MAX : asked,
    format: (format ?? 'exact') as XapiFormat,
  };
}

/** The `agent` parameter: an Agent or identified Group as JSON, by exactly one IFI. */
function ifiOf(text: string): XapiIfi {
  let agent: unknown;
  try {
    agent = JSON.parse(text);
  } catch {
    throw new XapiError(400, 'agent must be an Agent or Group as JSON');
  }
  if (typeof agent !== 'object' || agent === null || Array.isArray(agent))
    throw new XapiError(400, 'agent must be an Agent or Group as JSON');
  const { objectType, mbox, mbox_sha1sum, openid, account } = agent as Json;
  if (objectType !== undefined && objectType !== 'Agent' && objectType !== 'Group')
    throw new XapiError(400, 'agent.objectType must be Agent or Group');
  const given = [mbox, mbox_sha1sum, openid, account].filter((value) => value !== undefined);
  if (given.length !== 1)
    throw new XapiError(400, 'agent must have exactly one of mbox, mbox_sha1sum, openid and account');
  if (mbox !== undefined) {
    if (typeof mbox !== 'string' || !/^mailto:[^@\s]+@[^@\s]+$/i.test(mbox))
      throw new XapiError(400, 'agent.mbox must be a mailto: IRI');
    return { mbox };
  }
  if (mbox_sha1sum !== undefined) {
    if (typeof mbox_sha1sum !== 'string' || !/^[0-9a-f]{40}$/i.test(mbox_sha1sum))
      throw new XapiError(400, 'agent.mbox_sha1sum must be the hex SHA-1 of a mailto: IRI');
    return { mbox_sha1sum: mbox_sha1sum.toLowerCase() };
  }
  if (openid !== undefined) {
    if (typeof openid !== 'string' || !IRI.test(openid)) throw new XapiError(400, 'agent.openid must be a URI');
    return { openid };
  }
  const { homePage, name } = (account ?? {}) as Json;
  if (typeof homePage !== 'string' || !IRI.test(homePage) || typeof name !== 'string' || name === '')
    throw new XapiError(400, 'agent.account must have a homePage IRL and a name');
  return { account: { homePage, name } };
}

/**
 * The `more` cursor: the query and where its next page starts, base64url. Opaque to platforms; the issuer is not in
 * it (each page reads the caller's issuer's statements only, whoever made the cursor).
 */
export function xapiCursor(filter: XapiStatementFilter, position: XapiQueryPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, filter, position })).toString('base64url');
}

export function xapiCursorOf(cursor: string): { filter: XapiStatementFilter; position: XapiQueryPosition } {
  try {
    if (!/^[A-Za-z0-9_-]{1,4000}$/.test(cursor)) throw new Error('not base64url');
    const { v, filter, position } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Json;
    const { bound, after } = (position ?? {}) as Json;
    if (v !== 1 || typeof filter !== 'object' || filter === null) throw new Error('not a cursor');
    if (
      typeof bound !== 'string' ||
      !/^\d{1,19}$/.test(bound) ||
      typeof after !== 'string' ||
      !/^\d{1,19}$/.test(after)
    )
      throw new Error('not a position');
    // The query is checked again as if it came in parameters.
    const f = filter as XapiStatementFilter;
    const again = xapiStatementFilter({
      ...(f.agent ? { agent: JSON.stringify(f.agent) } : {}),
      ...(f.verb !== undefined ? { verb: f.verb } : {}),
      ...(f.activity !== undefined ? { activity: f.activity } : {}),
      ...(f.registration !== undefined ? { registration: f.registration } : {}),
      ...(f.since !== undefined ? { since: f.since } : {}),
      ...(f.until !== undefined ? { until: f.until } : {}),
      related_activities: String(f.relatedActivities === true),
      related_agents: String(f.relatedAgents === true),
      ascending: String(f.ascending === true),
      limit: String(f.limit),
      format: String(f.format),
    });
    return { filter: again, position: { bound, after } };
  } catch {
    throw new XapiError(400, 'cursor is not one this LRS gave (follow the more link as given)');
  }
}

/** A statement query of one issuer's statements (the caller's: an xAPI client reads its issuer's only). */
export class XapiStatementsQuery extends Query<XapiStatementPage> {
  constructor(
    readonly issuerId: string,
    readonly filter: XapiStatementFilter,
    readonly position?: XapiQueryPosition,
    /** Accept-Language, for format=canonical. */
    readonly languages: readonly string[] = [],
  ) {
    super();
  }
}

/**
 * X-Experience-API-Consistent-Through: an instant up to which every statement stored is in the answers read after it
 * is taken. A statement's `stored` is the database's clock at its INSERT, never before its transaction started: so
 * the instant is the database's now or, if earlier, the start of the oldest transaction still open on the database
 * (one may be storing a statement), less a millisecond, as `stored` is rounded down to it.
 */
export class XapiConsistentThroughQuery extends Query<string> {}

@QueryHandler(XapiConsistentThroughQuery)
export class XapiConsistentThroughQueryHandler {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute(): Promise<string> {
    const [row] = await this.sql.query<{ through: string }>(
      `SELECT to_char(
         LEAST(statement_timestamp(), (SELECT min(xact_start) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL))
         AT TIME ZONE 'UTC' - interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS through`,
    );
    return row.through;
  }
}

/** Where agents are in a statement: the actor and an Agent or Group object; with related_agents, everywhere. */
const AGENT_PATHS = ['$.actor', '$.object ? (@.objectType == "Agent" || @.objectType == "Group")'];
const RELATED_AGENT_PATHS = [
  ...AGENT_PATHS,
  '$.authority',
  '$.context.instructor',
  '$.context.team',
  '$.context.contextAgents[*].agent',
  '$.context.contextGroups[*].group',
  '$.object ? (@.objectType == "SubStatement").actor',
  '$.object ? (@.objectType == "SubStatement").object ? (@.objectType == "Agent" || @.objectType == "Group")',
  '$.object ? (@.objectType == "SubStatement").context.instructor',
  '$.object ? (@.objectType == "SubStatement").context.team',
];
/** Where activities are: the object; with related_activities, the context's activities and a SubStatement's too. */
const ACTIVITY_PATHS = ['$.object ? (!exists(@.objectType) || @.objectType == "Activity")'];
const RELATED_ACTIVITY_PATHS = [
  ...ACTIVITY_PATHS,
  '$.context.contextActivities.*[*]',
  '$.object ? (@.objectType == "SubStatement").object ? (!exists(@.objectType) || @.objectType == "Activity")',
  '$.object ? (@.objectType == "SubStatement").context.contextActivities.*[*]',
];

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * Answers a statement query from tessera_xapi_statements, newest stored first (or oldest, `ascending`), voided
 * statements left out. A page reads only what was stored when the first page was asked (`bound`), after the last
 * statement the previous page returned: appends between pages neither shift nor repeat anything.
 */
@QueryHandler(XapiStatementsQuery)
export class XapiStatementsQueryHandler {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly profiles: LearnerProfileStore,
  ) {}

  async execute({ issuerId, filter, position, languages }: XapiStatementsQuery): Promise<XapiStatementPage> {
    const bound =
      position?.bound ??
      (
        await this.sql.query<{ bound: string | null }>(
          'SELECT max(seq)::text AS bound FROM tessera_xapi_statements WHERE issuer_id = $1',
          [issuerId],
        )
      )[0]?.bound ??
      '0';
    const where = ['issuer_id = $1', 'voided_by IS NULL', 'seq <= $2::bigint'];
    const values: unknown[] = [issuerId, bound];
    const value = (given: unknown) => {
      values.push(given);
      return `$${values.length}`;
    };
    if (position) where.push(`seq ${filter.ascending ? '>' : '<'} ${value(position.after)}::bigint`);
    if (filter.verb !== undefined) where.push(`statement->'verb'->>'id' = ${value(filter.verb)}`);
    if (filter.registration !== undefined)
      where.push(`lower(statement->'context'->>'registration') = ${value(filter.registration)}`);
    if (filter.since !== undefined)
      where.push(`(statement->>'stored')::timestamptz > ${value(filter.since)}::timestamptz`);
    if (filter.until !== undefined)
      where.push(`(statement->>'stored')::timestamptz <= ${value(filter.until)}::timestamptz`);
    if (filter.activity !== undefined)
      where.push(
        `EXISTS (SELECT 1 FROM unnest(${value(filter.relatedActivities ? RELATED_ACTIVITY_PATHS : ACTIVITY_PATHS)}::text[]) AS p(path),
           jsonb_path_query(statement, p.path::jsonpath) AS a(activity) WHERE a.activity->>'id' = ${value(filter.activity)})`,
      );
    if (filter.agent !== undefined) {
      const { mboxes, sha1s, openids, accounts } = await this.identities(filter.agent);
      where.push(
        `EXISTS (SELECT 1 FROM unnest(${value(filter.relatedAgents ? RELATED_AGENT_PATHS : AGENT_PATHS)}::text[]) AS p(path),
           jsonb_path_query(statement, p.path::jsonpath) AS a(agent)
         WHERE lower(a.agent->>'mbox') = ANY(${value(mboxes)}::text[])
           OR lower(a.agent->>'mbox_sha1sum') = ANY(${value(sha1s)}::text[])
           OR a.agent->>'openid' = ANY(${value(openids)}::text[])
           OR ${value(JSON.stringify(accounts))}::jsonb @> jsonb_build_array(a.agent->'account'))`,
      );
    }
    const rows = await this.sql.query<{ seq: string; statement: Json }>(
      `SELECT seq::text AS seq, statement FROM tessera_xapi_statements WHERE ${where.join(' AND ')}
       ORDER BY tessera_xapi_statements.seq ${filter.ascending ? 'ASC' : 'DESC'} LIMIT ${value(filter.limit + 1)}`,
      values,
    );
    const page = rows.slice(0, filter.limit);
    const stored = page.map((row) => String(row.statement.stored)).sort();
    return {
      statements: page.map((row) => inFormat(row.statement, filter.format, languages)),
      ...(rows.length > filter.limit ? { more: xapiCursor(filter, { bound, after: page.at(-1)!.seq }) } : {}),
      ...(stored.length > 0 ? { lastStored: stored.at(-1) } : {}),
    };
  }

  /**
   * The IFIs that name the agent asked for: the one given, and, when it is a learner's (matched through the erasable
   * profile store as statements are), the learner's email as mbox and mbox_sha1sum and their xAPI account.
   */
  private async identities(agent: XapiIfi) {
    const mboxes: string[] = [];
    const sha1s: string[] = [];
    const accounts: XapiAccount[] = [];
    const openids = agent.openid ? [agent.openid] : [];
    if (agent.mbox_sha1sum) sha1s.push(agent.mbox_sha1sum);
    if (agent.account) accounts.push(agent.account);
    const mbox = (address: string) => {
      mboxes.push(address.toLowerCase());
      sha1s.push(sha1(address), sha1(address.toLowerCase()));
    };
    if (agent.mbox) mbox(agent.mbox);
    if (agent.mbox || agent.account || agent.mbox_sha1sum) {
      const learner = await this.profiles.xapiIdentitiesOf(agent);
      if (learner) {
        mbox(`mailto:${learner.email}`);
        if (learner.account) accounts.push(learner.account);
      }
    }
    return { mboxes, sha1s, openids, accounts };
  }
}

/**
 * A statement in the format asked: `exact` as stored; `ids` with agents, groups and activities by their identifiers
 * only; `canonical` with each language map down to one entry, the first of Accept-Language that it has (else its
 * first).
 */
export function inFormat(statement: Json, format: XapiFormat, languages: readonly string[]): Json {
  if (format === 'exact') return statement;
  if (format === 'canonical') return canonical(statement, languages) as Json;
  return idsOnly(statement);
}

const LANGUAGE_MAPS = new Set(['display', 'name', 'description']);

function canonical(value: unknown, languages: readonly string[], key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, languages));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Json);
  if (key !== undefined && LANGUAGE_MAPS.has(key) && entries.every(([, text]) => typeof text === 'string')) {
    const wanted =
      languages
        .map((language) => entries.find(([tag]) => tag.toLowerCase() === language.toLowerCase()))
        .find((entry) => entry !== undefined) ??
      languages
        .map((language) =>
          entries.find(([tag]) => tag.toLowerCase().split('-')[0] === language.toLowerCase().split('-')[0]),
        )
        .find((entry) => entry !== undefined) ??
      entries[0];
    return wanted ? { [wanted[0]]: wanted[1] } : {};
  }
  return Object.fromEntries(entries.map(([name, item]) => [name, canonical(item, languages, name)]));
}

function idsOnly(statement: Json): Json {
  const agent = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const { objectType, mbox, mbox_sha1sum, openid, account, member } = value as Json;
    return Object.fromEntries(
      Object.entries({
        objectType,
        mbox,
        mbox_sha1sum,
        openid,
        account,
        // An anonymous group is known by its members only.
        member:
          [mbox, mbox_sha1sum, openid, account].every((ifi) => ifi === undefined) && Array.isArray(member)
            ? member.map(agent)
            : undefined,
      }).filter(([, item]) => item !== undefined),
    );
  };
  const object = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const item = value as Json;
    if (item.objectType === 'Agent' || item.objectType === 'Group') return agent(item);
    if (item.objectType === 'SubStatement') return idsOnly(item);
    if (item.objectType === 'StatementRef') return item;
    return { ...(item.objectType ? { objectType: item.objectType } : {}), id: item.id };
  };
  const activities = (value: unknown) =>
    Array.isArray(value) ? value.map(object) : typeof value === 'object' && value !== null ? object(value) : value;
  const result: Json = { ...statement, actor: agent(statement.actor), object: object(statement.object) };
  if (statement.verb) result.verb = { id: (statement.verb as Json).id };
  if (statement.authority) result.authority = agent(statement.authority);
  const context = statement.context as Json | undefined;
  if (context) {
    const contextActivities = context.contextActivities as Json | undefined;
    result.context = {
      ...context,
      ...(context.instructor ? { instructor: agent(context.instructor) } : {}),
      ...(context.team ? { team: agent(context.team) } : {}),
      ...(contextActivities
        ? {
            contextActivities: Object.fromEntries(
              Object.entries(contextActivities).map(([kind, list]) => [kind, activities(list)]),
            ),
          }
        : {}),
    };
  }
  return result;
}
