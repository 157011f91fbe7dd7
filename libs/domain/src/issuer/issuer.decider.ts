import { requireIssuer, requireRole } from '../shared/actor';
import { type Decider, fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, Validation } from '../shared/validation';
import { compareInstants } from '../shared/instant';
import type { CompromiseIssuerKey, IssuerCommand, RegisterIssuer, RotateIssuerKey } from './issuer.commands';
import type {
  IssuerCredentialsResigned,
  IssuerEvent,
  IssuerKeyCompromised,
  IssuerKeyRotated,
  IssuerMultikey,
  IssuerRegistered,
} from './issuer.events';
import { currentKey, evolveIssuer, initialIssuer, type Issuer } from './issuer.state';
import { type RecognitionContext, recordRecognition, withdrawRecognition } from './recognition.decider';

const FRAMEWORK = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

export function registerIssuer(command: RegisterIssuer, state: Issuer): IssuerRegistered {
  const { data, metadata } = command;
  requireRole(metadata.actor, ['admin'], 'register an issuer');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const name = v.text('name', data.name);
  const url = v.url('url', data.url);
  const country = v.country('country', data.country);
  const qualityAssurance = v.text('qualityAssurance', data.qualityAssurance);
  const framework = v.optionalText('framework', data.framework, 32);
  if (framework !== undefined && !FRAMEWORK.test(framework))
    v.problem('framework', 'invalid-field', 'must be a framework code such as NFQ, RQF or EQF');
  v.done();
  if (state.status === 'registered')
    throw new DomainError('issuer-already-registered', `The issuer ${issuerId} is already registered`);
  return {
    type: 'IssuerRegistered',
    data: {
      schemaVersion: 1,
      issuerId,
      name,
      url,
      country,
      qualityAssurance,
      ...(framework === undefined ? {} : { framework }),
      registeredAt: now,
      registeredBy: metadata.actor.sub,
    },
  };
}

/** JWK members that carry private key material (RFC 7518 §6): never in an event. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * What every key command starts with: signing keys are managed by an admin, or an issuer-admin of the issuer; then the
 * metadata, the issuer id and the key id are validated (the rest of the command's fields join the same Validation).
 */
function checkKeyCommand(command: RotateIssuerKey | CompromiseIssuerKey, action: string) {
  const { data, metadata } = command;
  requireRole(metadata.actor, ['admin', 'issuer-admin'], action);
  if (!metadata.actor.roles.includes('admin')) requireIssuer(metadata.actor, data.issuerId, action);
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  return { v, now, issuerId: v.slug('issuerId', data.issuerId), keyId: v.text('keyId', data.keyId, 2048) };
}

/**
 * An Ed25519 Multikey: a base58btc multibase public key (`z6Mk…`, the Ed25519 multicodec prefix), named by a
 * fragment of the key's own multibase on an issuer URL — no private key (`zrv…`) is ever recorded.
 */
function checkMultikey(v: Validation, value: unknown, issuerId: string): IssuerMultikey | undefined {
  const multikey = v.object('multikey', value);
  const id = v.text('multikey.id', multikey.id, 2048);
  const publicKeyMultibase = v.text('multikey.publicKeyMultibase', multikey.publicKeyMultibase, 64);
  if (!/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/.test(publicKeyMultibase))
    v.problem('multikey.publicKeyMultibase', 'invalid-field', 'must be an Ed25519 public key as multibase (z6Mk…)');
  if (!id.endsWith(`/issuers/${issuerId}#${publicKeyMultibase}`))
    v.problem('multikey.id', 'invalid-field', 'must be {issuer profile id}#{publicKeyMultibase}');
  return { id, publicKeyMultibase };
}

export function rotateIssuerKey(command: RotateIssuerKey, state: Issuer): IssuerKeyRotated {
  const { data, metadata } = command;
  const { v, now, issuerId, keyId } = checkKeyCommand(command, 'rotate signing keys');
  const jwk = v.object('publicJwk', data.publicJwk);
  const publicJwk: { [member: string]: string } = {};
  for (const [member, value] of Object.entries(jwk)) {
    if (PRIVATE_JWK_MEMBERS.includes(member))
      v.problem(`publicJwk.${member}`, 'invalid-field', 'is private key material and must not be recorded');
    else if (typeof value !== 'string') v.problem(`publicJwk.${member}`, 'invalid-field', 'must be a string');
    else publicJwk[member] = value;
  }
  if (data.publicJwk !== undefined && typeof publicJwk.kty !== 'string')
    v.problem('publicJwk.kty', 'invalid-field', 'is required (the key type)');
  const multikey = data.multikey === undefined ? undefined : checkMultikey(v, data.multikey, issuerId);
  const validFrom = v.optionalInstant('validFrom', data.validFrom) ?? now;
  if (data.validFrom !== undefined && compareInstants(validFrom, now) > 0)
    v.problem('validFrom', 'instant-in-future', 'must not be after the command');
  v.done();
  if (state.status !== 'registered') throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
  if (state.keys.some((key) => key.keyId === keyId))
    throw new DomainError('duplicate-id', `The key ${keyId} has already been recorded for ${issuerId}`);
  const previous = currentKey(state);
  // Only a first key made before keys were recorded may start earlier: a rotation never reopens a closed window.
  if (previous !== undefined && data.validFrom !== undefined)
    throw new DomainError('invalid-field', 'validFrom may only be given for the issuer’s first key');
  return {
    type: 'IssuerKeyRotated',
    data: {
      schemaVersion: 1,
      issuerId,
      keyId,
      publicJwk,
      ...(multikey === undefined ? {} : { multikey }),
      rotatedAt: validFrom,
      ...(previous === undefined ? {} : { previousKeyId: previous.keyId }),
      rotatedBy: metadata.actor.sub,
    },
  };
}

/** Strings given by the shell (record ids, list ids): each once. */
function idList(v: Validation, path: string, value: unknown): string[] {
  const items = v.list(path, value);
  items.forEach((item, index) => {
    if (typeof item !== 'string' || item.length === 0) v.problem(`${path}[${index}]`, 'invalid-field', 'must be an id');
  });
  const ids = items.filter((item): item is string => typeof item === 'string');
  v.unique(path, ids);
  return ids;
}

/**
 * A key reported leaked: refused for an unknown key, one already reported, the current key (rotate first: something
 * must sign in its place), or a `since` outside the key's life. Decides the report and the re-signing together.
 */
export function compromiseIssuerKey(
  command: CompromiseIssuerKey,
  state: Issuer,
): [IssuerKeyCompromised, IssuerCredentialsResigned] {
  const { data, metadata } = command;
  const { v, now, issuerId, keyId } = checkKeyCommand(command, 'report a signing key compromised');
  const since = v.instant('since', data.since);
  if (since !== '' && now !== '' && compareInstants(since, now) > 0)
    v.problem('since', 'instant-in-future', 'must not be after the report');
  const resigned = v.object('resigned', data.resigned);
  const awardIds = idList(v, 'resigned.awardIds', resigned.awardIds);
  const qualificationIds = idList(v, 'resigned.qualificationIds', resigned.qualificationIds);
  const statusListIds = idList(v, 'resigned.statusListIds', resigned.statusListIds);
  v.done();
  if (state.status !== 'registered') throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
  const key = state.keys.find((candidate) => candidate.keyId === keyId);
  if (!key) throw new DomainError('unknown-key', `${issuerId} has no signing key ${keyId}`);
  if (key.compromisedSince !== undefined)
    throw new DomainError(
      'key-already-compromised',
      `The key ${keyId} was reported compromised since ${key.compromisedSince}`,
    );
  const current = currentKey(state)!;
  if (current.keyId === keyId)
    throw new DomainError(
      'key-in-use',
      `The key ${keyId} is the current signing key: rotate the key first, then report it`,
    );
  if (compareInstants(since, key.validFrom) < 0)
    throw new DomainError('since-before-key', `since ${since} is before the key began signing (${key.validFrom})`);
  return [
    {
      type: 'IssuerKeyCompromised',
      data: { schemaVersion: 1, issuerId, keyId, since, reportedAt: now, reportedBy: metadata.actor.sub },
    },
    {
      type: 'IssuerCredentialsResigned',
      data: {
        schemaVersion: 1,
        issuerId,
        compromisedKeyId: keyId,
        keyId: current.keyId,
        awardIds,
        qualificationIds,
        statusListIds,
        resignedAt: now,
      },
    },
  ];
}

/** `context`: what RecordRecognition needs from other streams; the other commands need none. */
export function decideIssuer(command: IssuerCommand, state: Issuer, context?: RecognitionContext): IssuerEvent[] {
  switch (command.type) {
    case 'RegisterIssuer':
      return [registerIssuer(command, state)];
    case 'RotateIssuerKey':
      return [rotateIssuerKey(command, state)];
    case 'CompromiseIssuerKey':
      return compromiseIssuerKey(command, state);
    case 'RecordRecognition':
      return [recordRecognition(command, state, context)];
    case 'WithdrawRecognition':
      return [withdrawRecognition(command, state)];
  }
}

export const issuerDecider: Decider<IssuerCommand, IssuerEvent, Issuer, RecognitionContext | undefined> = {
  decide: decideIssuer,
  evolve: evolveIssuer,
  initialState: initialIssuer,
};

export const foldIssuer = (events: readonly IssuerEvent[]): Issuer => fold(issuerDecider, events);
