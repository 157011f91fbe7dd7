import { type Actor, requireIssuer, requireRole } from '../shared/actor';
import { type Decider, fold } from '../shared/decider';
import { DomainError, type ValidationIssue } from '../shared/domain-error';
import { checkMetadata, LONG_TEXT, Validation } from '../shared/validation';
import type { Issuer } from '../issuer/issuer.state';
import type { Rule } from '../stacking/rule';
import type { DefinePathway, PathwayCommand, RetirePathway, RevisePathway } from './pathway.commands';
import { checkPathwayDefinition, type PathwayDefinition, rulePath } from './pathway.definition';
import type { PathwayDefined, PathwayEvent, PathwayRetired, PathwayRevised } from './pathway.events';
import { evolvePathway, initialPathway, latestPathwayVersion, type Pathway } from './pathway.state';

/**
 * What the handler wires in for DefinePathway and RevisePathway: the stacking rule checks, with their lookups bound
 * to the state it loaded.
 * - `checkRule(rule)`: every problem with the rule — its shape, and the achievements, pathways and credit frameworks
 *   it names (`validateRule(rule, lookups)`); paths relative to the rule ('' for the rule itself, 'allOf[0]' …).
 * - `findCycle(pathwayId, rule)`: the pathway ids of a cycle this rule would close through nested `{ pathway }` rules
 *   (`findPathwayCycle(pathwayId, rule, lookupRule)`, e.g. `['a', 'b', 'a']`), or undefined. Only called on a rule
 *   `checkRule` found no problem with.
 * - `checkRecognitions(issuerId, rule)`: the nodes naming another issuer's achievement that `issuerId` has no
 *   recognition of (`missingRecognitions`, code `recognition-missing`). Only called on a rule `checkRule` accepts.
 */
export type PathwayRuleChecks = {
  checkRule: (rule: Rule) => readonly ValidationIssue[];
  findCycle: (pathwayId: string, rule: Rule) => readonly string[] | undefined;
  checkRecognitions: (issuerId: string, rule: Rule) => readonly ValidationIssue[];
};

/** State from other streams the handler loads: the issuer (for DefinePathway) and the rule checks (Define, Revise). */
export type PathwayContext = PathwayRuleChecks & { issuer?: Issuer };

const MANAGE = ['issuer-admin'] as const;

function ruleChecks(context: PathwayContext | undefined, command: string): PathwayContext {
  if (context === undefined) throw new Error(`${command} needs a context with checkRule and findCycle`);
  return context;
}

function checkDefinitionCommand(
  v: Validation,
  pathwayId: unknown,
  input: unknown,
  context: PathwayContext,
): { id: string; definition: PathwayDefinition } {
  const id = v.id('pathwayId', pathwayId);
  return { id, definition: checkPathwayDefinition(v, input, context.checkRule) };
}

/** The rule may not nest this pathway in itself, directly or through other pathways. */
function checkCycle(id: string, definition: PathwayDefinition, context: PathwayContext): void {
  const cycle = context.findCycle(id, definition.rule);
  if (cycle !== undefined && cycle.length > 0)
    throw new DomainError(
      'pathway-cycle',
      `The rule of ${id} would nest pathways in a cycle (${cycle.join(' → ')}): none of them could ever be completed`,
    );
}

/** A pathway counts another issuer's achievements only under a recognition (a credit-transfer agreement). */
function checkRecognitions(issuerId: string, definition: PathwayDefinition, context: PathwayContext): void {
  const issues = context.checkRecognitions(issuerId, definition.rule).map((issue) => ({
    ...issue,
    path: rulePath(issue.path),
  }));
  if (issues.length > 0)
    throw new DomainError(
      'recognition-missing',
      issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
      issues,
    );
}

function requireManager(actor: Actor, state: Pathway, pathwayId: string, action: string) {
  if (state.status === 'none') throw new DomainError('unknown-pathway', `No pathway ${pathwayId}`);
  if (state.pathwayId !== pathwayId) throw new Error(`State of ${state.pathwayId} given for ${pathwayId}`);
  requireIssuer(actor, state.issuerId, action);
  return state;
}

export function definePathway(command: DefinePathway, state: Pathway, context?: PathwayContext): PathwayDefined {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'define a pathway');
  const checks = ruleChecks(context, 'DefinePathway');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const { id, definition } = checkDefinitionCommand(v, data.pathwayId, data.definition, checks);
  v.done();
  requireIssuer(metadata.actor, issuerId, 'define a pathway');
  if (checks.issuer?.status !== 'registered' || checks.issuer.issuerId !== issuerId)
    throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
  if (state.status !== 'none') throw new DomainError('pathway-already-defined', `The pathway ${id} exists`);
  checkCycle(id, definition, checks);
  checkRecognitions(issuerId, definition, checks);
  return {
    type: 'PathwayDefined',
    data: {
      schemaVersion: 1,
      pathwayId: id,
      issuerId,
      version: 1,
      definition,
      definedAt: now,
      definedBy: metadata.actor.sub,
    },
  };
}

export function revisePathway(command: RevisePathway, state: Pathway, context?: PathwayContext): PathwayRevised {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'revise a pathway');
  const checks = ruleChecks(context, 'RevisePathway');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const { id, definition } = checkDefinitionCommand(v, data.pathwayId, data.definition, checks);
  v.done();
  const pathway = requireManager(metadata.actor, state, id, 'revise a pathway');
  if (pathway.status === 'retired')
    throw new DomainError('pathway-retired', `The pathway ${id} was retired at ${pathway.retiredAt}: cannot revise it`);
  checkCycle(id, definition, checks);
  checkRecognitions(pathway.issuerId, definition, checks);
  return {
    type: 'PathwayRevised',
    data: {
      schemaVersion: 1,
      pathwayId: id,
      issuerId: pathway.issuerId,
      version: (latestPathwayVersion(pathway)?.version ?? 0) + 1,
      definition,
      revisedAt: now,
      revisedBy: metadata.actor.sub,
    },
  };
}

export function retirePathway(command: RetirePathway, state: Pathway): PathwayRetired {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'retire a pathway');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const id = v.id('pathwayId', data.pathwayId);
  const reason = v.optionalText('reason', data.reason, LONG_TEXT);
  v.done();
  const pathway = requireManager(metadata.actor, state, id, 'retire a pathway');
  if (pathway.status === 'retired')
    throw new DomainError('already-retired', `The pathway ${id} was retired at ${pathway.retiredAt}`);
  return {
    type: 'PathwayRetired',
    data: {
      schemaVersion: 1,
      pathwayId: id,
      issuerId: pathway.issuerId,
      ...(reason === undefined ? {} : { reason }),
      retiredAt: now,
      retiredBy: metadata.actor.sub,
    },
  };
}

export function decidePathway(command: PathwayCommand, state: Pathway, context?: PathwayContext): PathwayEvent[] {
  switch (command.type) {
    case 'DefinePathway':
      return [definePathway(command, state, context)];
    case 'RevisePathway':
      return [revisePathway(command, state, context)];
    case 'RetirePathway':
      return [retirePathway(command, state)];
  }
}

/** `context` may be left out for RetirePathway; Define and Revise need the rule checks. */
export const pathwayDecider: Decider<PathwayCommand, PathwayEvent, Pathway, PathwayContext | undefined> = {
  decide: decidePathway,
  evolve: evolvePathway,
  initialState: initialPathway,
};

export const foldPathway = (events: readonly PathwayEvent[]): Pathway => fold(pathwayDecider, events);
