import {
  type AchievementAnalyticsState,
  creditsByMonth,
  daysToAwardDistribution,
  type IssuerCharts,
  type Pathway,
  passRates,
  pathwayAchievements,
  pathwayFunnel,
  type Rule,
  type TranscriptState,
} from '@app/domain';
import {
  learnersHoldingAny,
  listPathways,
  loadAchievementAnalyticsState,
  loadTranscriptStates,
  type SqlQuery,
  transcriptProjection,
} from '@app/read-models';
import { type AnalyticsReader, analyticsOfIssuer } from './analytics.query';
import { readModelsOf, type ReadSide } from './read-side';

/** Learners' transcripts are read this many at a time. */
const LEARNER_PAGE = 500;

const latestRule = (pathway: Pathway): Rule | undefined =>
  pathway.status === 'none' ? undefined : pathway.versions.at(-1)?.definition.rule;

/**
 * The figures the analytics page charts for an issuer (libs/domain/src/analytics/issuer-charts.ts): pass rate per
 * achievement, days from first evidence to award, credits awarded per month, and each published pathway's funnel —
 * what `GET /analytics/issuers/:id/charts` answers. 403 for another issuer (before anything is read), 404 when the
 * analytics read model holds nothing of it. A record's position, which `minPosition` names, is one the pathway
 * catalogue never sees: only the analytics and transcript read models are waited for.
 */
export async function issuerChartsOf(read: ReadSide, issuerId: string, reader: AnalyticsReader): Promise<IssuerCharts> {
  const summary = await analyticsOfIssuer(read, issuerId, reader);
  const { query, waitFor } = readModelsOf(read);
  await waitFor(transcriptProjection.name, reader.minPosition);
  const states = (
    await Promise.all(summary.achievementIds.map((id) => loadAchievementAnalyticsState(query, id)))
  ).filter((state): state is AchievementAnalyticsState => state !== undefined);
  const transcripts = await transcriptsOf(query, summary.achievementIds);
  const all = await listPathways(query, {});
  const rules = new Map(all.flatMap((pathway) => (pathway.status === 'none' ? [] : [[pathway.pathwayId, pathway]])));
  const lookupRule = (pathwayId: string) => {
    const pathway = rules.get(pathwayId);
    return pathway && latestRule(pathway);
  };
  const at = new Date().toISOString();
  return {
    issuerId,
    passRates: passRates(states),
    daysToAward: daysToAwardDistribution(states),
    creditsByMonth: creditsByMonth(issuerId, transcripts),
    pathways: all.flatMap((pathway) => {
      const rule = latestRule(pathway);
      if (pathway.status !== 'published' || pathway.issuerId !== issuerId || rule === undefined) return [];
      return [pathwayFunnel(pathway.pathwayId, pathwayAchievements(rule, lookupRule), transcripts, at)];
    }),
  };
}

/** The transcripts of every learner holding or having held an award of these achievements, page by page. */
async function transcriptsOf(query: SqlQuery, achievementIds: readonly string[]): Promise<TranscriptState[]> {
  const transcripts: TranscriptState[] = [];
  for (let after: string | undefined; ;) {
    const learners = await learnersHoldingAny(query, achievementIds, { after, limit: LEARNER_PAGE });
    transcripts.push(...(await loadTranscriptStates(query, learners)));
    if (learners.length < LEARNER_PAGE) return transcripts;
    after = learners[learners.length - 1];
  }
}
