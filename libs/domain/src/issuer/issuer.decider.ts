import { requireRole } from '../shared/actor';
import { type Decider, fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, Validation } from '../shared/validation';
import type { IssuerCommand, RegisterIssuer } from './issuer.commands';
import type { IssuerEvent, IssuerRegistered } from './issuer.events';
import { evolveIssuer, initialIssuer, type Issuer } from './issuer.state';

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

export function decideIssuer(command: IssuerCommand, state: Issuer): IssuerEvent[] {
  switch (command.type) {
    case 'RegisterIssuer':
      return [registerIssuer(command, state)];
  }
}

export const issuerDecider: Decider<IssuerCommand, IssuerEvent, Issuer> = {
  decide: decideIssuer,
  evolve: evolveIssuer,
  initialState: initialIssuer,
};

export const foldIssuer = (events: readonly IssuerEvent[]): Issuer => fold(issuerDecider, events);
