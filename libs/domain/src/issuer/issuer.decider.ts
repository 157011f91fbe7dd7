import { requireIssuer, requireRole } from '../shared/actor';
import { type Decider, fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, Validation } from '../shared/validation';
import { compareInstants } from '../shared/instant';
import type { IssuerCommand, RegisterIssuer, RotateIssuerKey } from './issuer.commands';
import type { IssuerEvent, IssuerKeyRotated, IssuerRegistered } from './issuer.events';
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

export function rotateIssuerKey(command: RotateIssuerKey, state: Issuer): IssuerKeyRotated {
  const { data, metadata } = command;
  requireRole(metadata.actor, ['admin', 'issuer-admin'], "rotate an issuer's signing key");
  if (!metadata.actor.roles.includes('admin')) requireIssuer(metadata.actor, data.issuerId, 'rotate signing keys');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const keyId = v.text('keyId', data.keyId, 2048);
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
      rotatedAt: validFrom,
      ...(previous === undefined ? {} : { previousKeyId: previous.keyId }),
      rotatedBy: metadata.actor.sub,
    },
  };
}

/** `context`: what RecordRecognition needs from other streams; the other commands need none. */
export function decideIssuer(command: IssuerCommand, state: Issuer, context?: RecognitionContext): IssuerEvent[] {
  switch (command.type) {
    case 'RegisterIssuer':
      return [registerIssuer(command, state)];
    case 'RotateIssuerKey':
      return [rotateIssuerKey(command, state)];
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
