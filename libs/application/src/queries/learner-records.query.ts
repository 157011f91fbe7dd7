import {
  type Achievement,
  achievementDecider,
  type AchievementEvent,
  achievementStream,
  learnerStream,
  parseRecordStream,
  type RecordEvent,
  type RecordProgress,
  recordProgress,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { achievementSummaries } from '@app/read-models';
import { readLearnerLedger } from '../learner-ledger';
import { StreamCommands } from '../stream-commands';
import { showsStream, type ViewOfLearner, wholeLearner } from './learner-view';
import { ledgerSourceOf, type ReadSide } from './read-side';

/** A record's progress with the title and issuer of its achievement (null when the achievement is not known). */
export type LearnerRecordProgress = RecordProgress & { title: string | null; issuerId: string | null };

/**
 * Every record of a learner the view shows, replayed from the ledger — evidence, assessments, criteria met and
 * missing, outcome: what `GET /learners/:id/records` answers. Each record is read against the achievement version it
 * names, from the achievement catalogue (from the achievement's stream when there are no read models).
 */
export async function learnerRecordsOf(
  read: ReadSide,
  learnerId: string,
  view: ViewOfLearner = wholeLearner,
): Promise<LearnerRecordProgress[]> {
  learnerStream(learnerId); // a malformed learner id is a 400
  const { events } = await readLearnerLedger(ledgerSourceOf(read), learnerId);
  const seen = await view(events.at(-1)?.position);
  const byAchievement = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const achievementId = parseRecordStream(event.stream)?.achievementId;
    if (achievementId === undefined || !showsStream(seen, event.stream)) continue;
    byAchievement.set(achievementId, [...(byAchievement.get(achievementId) ?? []), event]);
  }
  const achievements = await achievementsNamed(read, [...byAchievement.keys()]);
  return [...byAchievement].map(([achievementId, recorded]) => {
    const achievement = achievements.get(achievementId);
    const versions = achievement?.status === 'none' ? [] : (achievement?.versions ?? []);
    const progress = recordProgress(
      achievementId,
      recorded.map(({ type, data }) => ({ type, data }) as RecordEvent),
      (version) => versions.find((entry) => entry.version === version)?.definition.criteria,
    );
    const title = versions.find((entry) => entry.version === progress.version)?.definition.title;
    return {
      ...progress,
      title: title ?? versions.at(-1)?.definition.title ?? null,
      issuerId: achievement && achievement.status !== 'none' ? achievement.issuerId : null,
    };
  });
}

/** The achievements by id: from the catalogue read model, or folded from their streams when there is none. */
async function achievementsNamed(read: ReadSide, ids: readonly string[]): Promise<Map<string, Achievement>> {
  if (read.readModels) return achievementSummaries(read.readModels.query, ids);
  const streams = new StreamCommands(read.store);
  const folded = ids.map(
    async (id) =>
      [id, await streams.load<Achievement, AchievementEvent>(achievementStream(id), achievementDecider)] as const,
  );
  return new Map(await Promise.all(folded));
}
