import { type Actor, requireIssuer, requireRole } from '../shared/actor';
import { type Decider, fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, LONG_TEXT, Validation } from '../shared/validation';
import type { Issuer } from '../issuer/issuer.state';
import type {
  AchievementCommand,
  DefineAchievement,
  RetireAchievement,
  ReviseAchievement,
} from './achievement.commands';
import { type AchievementDefinition, checkDefinition } from './achievement.definition';
import type {
  AchievementDefined,
  AchievementEvent,
  AchievementRetired,
  AchievementRevised,
} from './achievement.events';
import { type Achievement, evolveAchievement, initialAchievement, latestVersion } from './achievement.state';

/**
 * State from other streams the handler loads: the issuer (for DefineAchievement) and the achievements named as
 * prerequisites in the definition (for DefineAchievement and ReviseAchievement), keyed by id.
 */
export type AchievementContext = {
  issuer?: Issuer;
  prerequisites?: { [achievementId: string]: Achievement };
};

const MANAGE = ['issuer-admin'] as const;

function checkDefinitionCommand(
  v: Validation,
  achievementId: unknown,
  input: unknown,
): { id: string; definition: AchievementDefinition } {
  const id = v.id('achievementId', achievementId);
  const definition = checkDefinition(v, input);
  if (definition.prerequisites.includes(id))
    v.problem('definition.prerequisites', 'self-prerequisite', 'an achievement cannot be its own prerequisite');
  return { id, definition };
}

/** Each prerequisite exists, is not retired and does not itself require this achievement; every one refused is named. */
function checkPrerequisites(achievementId: string, definition: AchievementDefinition, context: AchievementContext) {
  const v = new Validation();
  definition.prerequisites.forEach((id, index) => {
    const path = `definition.prerequisites[${index}]`;
    const prerequisite = context.prerequisites?.[id] ?? initialAchievement();
    if (prerequisite.status === 'none')
      v.problem(path, 'unknown-prerequisite', `the prerequisite ${id} is not a defined achievement`);
    else if (prerequisite.status === 'retired')
      v.problem(path, 'prerequisite-retired', `the prerequisite ${id} is retired: nobody could newly hold it`);
    else if (latestVersion(prerequisite)?.definition.prerequisites.includes(achievementId))
      v.problem(path, 'prerequisite-cycle', `${id} requires ${achievementId}: neither could ever be awarded`);
  });
  v.done();
}

function requireManager(actor: Actor, state: Achievement, achievementId: string, action: string) {
  if (state.status === 'none') throw new DomainError('unknown-achievement', `No achievement ${achievementId}`);
  if (state.achievementId !== achievementId)
    throw new Error(`State of ${state.achievementId} given for ${achievementId}`);
  requireIssuer(actor, state.issuerId, action);
  return state;
}

export function defineAchievement(
  command: DefineAchievement,
  state: Achievement,
  context: AchievementContext,
): AchievementDefined {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'define an achievement');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const { id, definition } = checkDefinitionCommand(v, data.achievementId, data.definition);
  v.done();
  requireIssuer(metadata.actor, issuerId, 'define an achievement');
  if (context.issuer?.status !== 'registered' || context.issuer.issuerId !== issuerId)
    throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
  if (state.status !== 'none') throw new DomainError('achievement-already-defined', `The achievement ${id} exists`);
  checkPrerequisites(id, definition, context);
  return {
    type: 'AchievementDefined',
    data: {
      schemaVersion: 1,
      achievementId: id,
      issuerId,
      version: 1,
      definition,
      definedAt: now,
      definedBy: metadata.actor.sub,
    },
  };
}

export function reviseAchievement(
  command: ReviseAchievement,
  state: Achievement,
  context: AchievementContext,
): AchievementRevised {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'revise an achievement');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const { id, definition } = checkDefinitionCommand(v, data.achievementId, data.definition);
  v.done();
  const achievement = requireManager(metadata.actor, state, id, 'revise an achievement');
  if (achievement.status === 'retired')
    throw new DomainError('achievement-retired', `The achievement ${id} is retired and cannot be revised`);
  checkPrerequisites(id, definition, context);
  return {
    type: 'AchievementRevised',
    data: {
      schemaVersion: 1,
      achievementId: id,
      issuerId: achievement.issuerId,
      version: (latestVersion(achievement)?.version ?? 0) + 1,
      definition,
      revisedAt: now,
      revisedBy: metadata.actor.sub,
    },
  };
}

export function retireAchievement(command: RetireAchievement, state: Achievement): AchievementRetired {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'retire an achievement');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const id = v.id('achievementId', data.achievementId);
  const reason = v.optionalText('reason', data.reason, LONG_TEXT);
  v.done();
  const achievement = requireManager(metadata.actor, state, id, 'retire an achievement');
  if (achievement.status === 'retired')
    throw new DomainError('already-retired', `The achievement ${id} was retired at ${achievement.retiredAt}`);
  return {
    type: 'AchievementRetired',
    data: {
      schemaVersion: 1,
      achievementId: id,
      issuerId: achievement.issuerId,
      ...(reason === undefined ? {} : { reason }),
      retiredAt: now,
      retiredBy: metadata.actor.sub,
    },
  };
}

export function decideAchievement(
  command: AchievementCommand,
  state: Achievement,
  context: AchievementContext = {},
): AchievementEvent[] {
  switch (command.type) {
    case 'DefineAchievement':
      return [defineAchievement(command, state, context)];
    case 'ReviseAchievement':
      return [reviseAchievement(command, state, context)];
    case 'RetireAchievement':
      return [retireAchievement(command, state)];
  }
}

/** `context` may be left out for RetireAchievement. */
export const achievementDecider: Decider<
  AchievementCommand,
  AchievementEvent,
  Achievement,
  AchievementContext | undefined
> = {
  decide: decideAchievement,
  evolve: evolveAchievement,
  initialState: initialAchievement,
};

export const foldAchievement = (events: readonly AchievementEvent[]): Achievement => fold(achievementDecider, events);
