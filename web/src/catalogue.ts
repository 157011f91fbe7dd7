import { getJson } from './api';
import type { Achievement, Pathway } from './types';

/** Titles, statements and kinds from the catalogues, to name what the transcript and the rules refer to by id. */
export class Catalogue {
  private readonly achievements = new Map<string, Achievement>();
  private readonly pathways = new Map<string, Pathway>();

  constructor(achievements: Achievement[], pathways: Pathway[]) {
    for (const achievement of achievements) this.achievements.set(achievement.achievementId, achievement);
    for (const pathway of pathways) this.pathways.set(pathway.pathwayId, pathway);
  }

  achievementList(): Achievement[] {
    return [...this.achievements.values()];
  }

  pathwayList(): Pathway[] {
    return [...this.pathways.values()];
  }

  achievement(id: string, version?: number) {
    const versions = this.achievements.get(id)?.versions ?? [];
    return (versions.find((entry) => entry.version === version) ?? versions[versions.length - 1])?.definition;
  }

  achievementTitle(id: string): string {
    return this.achievement(id)?.title ?? id;
  }

  pathway(id: string) {
    const versions = this.pathways.get(id)?.versions ?? [];
    return versions[versions.length - 1]?.definition;
  }
}

/** Loads the catalogues every view names things from. */
export async function loadCatalogue(): Promise<Catalogue> {
  const [achievements, pathways] = await Promise.all([
    getJson<{ achievements: Achievement[] }>('/achievements'),
    getJson<{ pathways: Pathway[] }>('/pathways'),
  ]);
  return new Catalogue(achievements.achievements, pathways.pathways);
}
