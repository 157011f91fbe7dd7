import type { Achievement } from '../achievement/achievement.state';
import { latestVersion } from '../achievement/achievement.state';
import type { Issuer } from '../issuer/issuer.state';
import { requireIssuer, requireRole } from '../shared/actor';
import { type Decider, fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, Validation } from '../shared/validation';
import type { RegisterXapiClient, RevokeXapiClient, SetXapiMapping, XapiCommand } from './xapi.commands';
import type {
  XapiAssessLevel,
  XapiClientRegistered,
  XapiClientRevoked,
  XapiEvent,
  XapiMappingSet,
  XapiRule,
} from './xapi.events';
import { evolveXapiIssuer, initialXapiIssuer, type XapiIssuer, xapiMappingOf } from './xapi.state';

/** What the commands read from other streams: the issuer (clients), the achievement (a mapping). */
export type XapiContext = { issuer?: Issuer; achievement?: Achievement };

export const MAX_XAPI_RULES = 100;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

/** Only an issuer-admin of the issuer lets platforms in and says what their statements count for. */
function requireIssuerAdmin(command: XapiCommand, action: string): void {
  requireRole(command.metadata.actor, ['issuer-admin'], action);
  requireIssuer(command.metadata.actor, command.data.issuerId, action);
}

export function registerXapiClient(
  command: RegisterXapiClient,
  state: XapiIssuer,
  context: XapiContext,
): XapiClientRegistered {
  const { data, metadata } = command;
  requireIssuerAdmin(command, 'register an xAPI client');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const clientId = v.id('clientId', data.clientId);
  if (typeof data.secretHash !== 'string' || !SHA256_HEX.test(data.secretHash))
    v.problem('secretHash', 'invalid-sha256', 'must be the SHA-256 of the secret, in lower-case hex');
  const name = v.optionalText('name', data.name, 200) ?? clientId;
  v.done();
  if (context.issuer?.status !== 'registered')
    throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
  if (state.clients.some((client) => client.clientId === clientId))
    throw new DomainError('duplicate-id', `The xAPI client ${clientId} is already registered`);
  return {
    type: 'XapiClientRegistered',
    data: {
      schemaVersion: 1,
      issuerId,
      clientId,
      secretHash: data.secretHash,
      name,
      registeredBy: metadata.actor.sub,
      registeredAt: now,
    },
  };
}

export function revokeXapiClient(command: RevokeXapiClient, state: XapiIssuer): XapiClientRevoked {
  const { data, metadata } = command;
  requireIssuerAdmin(command, 'revoke an xAPI client');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const clientId = v.text('clientId', data.clientId, 200);
  v.done();
  const client = state.clients.find((item) => item.clientId === clientId);
  if (client === undefined) throw new DomainError('unknown-xapi-client', `${issuerId} has no xAPI client ${clientId}`);
  if (client.revokedAt !== undefined)
    throw new DomainError('xapi-client-revoked', `The xAPI client ${clientId} was revoked at ${client.revokedAt}`);
  return {
    type: 'XapiClientRevoked',
    data: { schemaVersion: 1, issuerId, clientId, revokedBy: metadata.actor.sub, revokedAt: now },
  };
}

function checkLevels(v: Validation, path: string, input: unknown): XapiAssessLevel[] {
  const levels = v.list(path, input, 1).map((item, index) => {
    const level = v.object(`${path}[${index}]`, item);
    return {
      name: v.text(`${path}[${index}].name`, level.name, 100),
      minScaled: scaled(v, `${path}[${index}].minScaled`, level.minScaled),
      met: v.boolean(`${path}[${index}].met`, level.met),
    };
  });
  v.unique(
    path,
    levels.map((level) => level.name),
  );
  return [...levels].sort((a, b) => b.minScaled - a.minScaled);
}

function scaled(v: Validation, path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1 || value > 1) {
    v.problem(path, 'invalid-field', 'must be a scaled score, from -1 to 1');
    return 0;
  }
  return value;
}

function iri(v: Validation, path: string, value: unknown): string {
  const text = v.text(path, value, 2048);
  if (text !== '' && !IRI.test(text)) v.problem(path, 'invalid-field', 'must be an IRI');
  return text;
}

export function checkXapiRules(v: Validation, input: unknown): XapiRule[] {
  const rules = v.list('rules', input).map((item, index): XapiRule => {
    const path = `rules[${index}]`;
    const rule = v.object(path, item);
    for (const key of Object.keys(rule))
      if (!['criterionId', 'verb', 'activityId', 'activityType', 'success', 'minScaled', 'assess'].includes(key))
        v.problem(`${path}.${key}`, 'invalid-field', 'is not a field of a rule');
    const criterionId = v.text(`${path}.criterionId`, rule.criterionId, 64);
    const verb = iri(v, `${path}.verb`, rule.verb);
    const activityId = rule.activityId === undefined ? undefined : iri(v, `${path}.activityId`, rule.activityId);
    const activityType =
      rule.activityType === undefined ? undefined : iri(v, `${path}.activityType`, rule.activityType);
    if ((activityId === undefined) === (activityType === undefined))
      v.problem(path, 'invalid-field', 'must name either activityId or activityType');
    const success = rule.success === undefined ? undefined : v.boolean(`${path}.success`, rule.success);
    const minScaled = rule.minScaled === undefined ? undefined : scaled(v, `${path}.minScaled`, rule.minScaled);
    const assess =
      rule.assess === undefined
        ? undefined
        : { levels: checkLevels(v, `${path}.assess.levels`, v.object(`${path}.assess`, rule.assess).levels) };
    return {
      criterionId,
      verb,
      ...(activityId === undefined ? {} : { activityId }),
      ...(activityType === undefined ? {} : { activityType }),
      ...(success === undefined ? {} : { success }),
      ...(minScaled === undefined ? {} : { minScaled }),
      ...(assess === undefined ? {} : { assess }),
    };
  });
  if (rules.length > MAX_XAPI_RULES) v.problem('rules', 'invalid-field', `may hold at most ${MAX_XAPI_RULES} rules`);
  return rules;
}

export function setXapiMapping(command: SetXapiMapping, state: XapiIssuer, context: XapiContext): XapiMappingSet {
  const { data, metadata } = command;
  requireIssuerAdmin(command, 'map xAPI statements to evidence');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const achievementId = v.id('achievementId', data.achievementId);
  const rules = checkXapiRules(v, data.rules);
  v.done();
  const achievement = context.achievement;
  if (achievement === undefined || achievement.status === 'none')
    throw new DomainError('unknown-achievement', `No achievement ${achievementId} is defined`);
  if (achievement.issuerId !== issuerId)
    throw new DomainError('achievement-not-of-issuer', `${achievementId} is not an achievement of ${issuerId}`);
  if (achievement.status === 'retired')
    throw new DomainError('achievement-retired', `The achievement ${achievementId} was retired`);
  const criteria = latestVersion(achievement)?.definition.criteria ?? [];
  const unknown = [...new Set(rules.map((rule) => rule.criterionId))].filter(
    (id) => !criteria.some((criterion) => criterion.id === id),
  );
  if (unknown.length > 0)
    throw new DomainError(
      'unknown-criterion',
      `The latest version of ${achievementId} has no criterion ${unknown.join(', ')}`,
    );
  return {
    type: 'XapiMappingSet',
    data: {
      schemaVersion: 1,
      issuerId,
      achievementId,
      revision: (xapiMappingOf(state, achievementId)?.revision ?? 0) + 1,
      rules,
      setBy: metadata.actor.sub,
      setAt: now,
    },
  };
}

export function decideXapi(command: XapiCommand, state: XapiIssuer, context: XapiContext = {}): XapiEvent[] {
  switch (command.type) {
    case 'RegisterXapiClient':
      return [registerXapiClient(command, state, context)];
    case 'RevokeXapiClient':
      return [revokeXapiClient(command, state)];
    case 'SetXapiMapping':
      return [setXapiMapping(command, state, context)];
  }
}

export const xapiDecider: Decider<XapiCommand, XapiEvent, XapiIssuer, XapiContext> = {
  decide: decideXapi,
  evolve: evolveXapiIssuer,
  initialState: initialXapiIssuer,
};

export const foldXapiIssuer = (events: readonly XapiEvent[]): XapiIssuer => fold(xapiDecider, events);
