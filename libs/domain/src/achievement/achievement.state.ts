import type { AchievementDefinition } from './achievement.definition';
import type { AchievementEvent } from './achievement.events';

export type AchievementVersion = { version: number; definition: AchievementDefinition; publishedAt: string };

/** An achievement: never defined, published (every version usable), or retired (none usable). */
export type Achievement =
  | { status: 'none' }
  | { status: 'published'; achievementId: string; issuerId: string; versions: AchievementVersion[] }
  | {
      status: 'retired';
      achievementId: string;
      issuerId: string;
      versions: AchievementVersion[];
      retiredAt: string;
    };

export const initialAchievement = (): Achievement => ({ status: 'none' });

export function evolveAchievement(state: Achievement, event: AchievementEvent): Achievement {
  switch (event.type) {
    case 'AchievementDefined': {
      const { achievementId, issuerId, version, definition, definedAt } = event.data;
      return {
        status: 'published',
        achievementId,
        issuerId,
        versions: [{ version, definition, publishedAt: definedAt }],
      };
    }
    case 'AchievementRevised': {
      if (state.status === 'none') return state;
      const { version, definition, revisedAt } = event.data;
      return { ...state, versions: [...state.versions, { version, definition, publishedAt: revisedAt }] };
    }
    case 'AchievementRetired':
      return state.status === 'none' ? state : { ...state, status: 'retired', retiredAt: event.data.retiredAt };
    default:
      return state;
  }
}

/** The newest version, or undefined when the achievement was never defined. */
export function latestVersion(achievement: Achievement): AchievementVersion | undefined {
  return achievement.status === 'none' ? undefined : achievement.versions[achievement.versions.length - 1];
}

/** One version by number, or undefined. */
export function findVersion(achievement: Achievement, version: number): AchievementVersion | undefined {
  return achievement.status === 'none' ? undefined : achievement.versions.find((v) => v.version === version);
}
