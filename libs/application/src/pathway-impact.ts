import { countsAnyAward, flattenRule, ruleReferences } from '@app/domain';
import { learnersHoldingAny, loadTranscriptStates, type SqlQuery } from '@app/read-models';
import {
  type DefinedPathway,
  evaluateStanding,
  prepareStanding,
  type LearnerStanding,
  standingOfTranscript,
  versionToEvaluate,
} from './pathway-progress';
import { crossIssuerCounting } from './cross-issuer-counting';
import { loadRuleCatalogue } from './rule-catalogue';
import type { StreamCommands } from './stream-commands';

/** One page of a revision's impact. */
export interface ImpactPage {
  /** How many learners this page evaluated. */
  readonly learners: number;
  /** Learners who do not complete the pathway now and would under the version asked about. */
  readonly gain: string[];
  /** Learners who complete it now and would not. */
  readonly lose: string[];
  /** The last learner evaluated, when more may follow: the next page starts after it. */
  readonly after?: string;
}

const NO_STANDING: LearnerStanding = { records: [], conferred: [] };

/**
 * What making `versionNumber` the version that applies would change, for one page of learners in id order: "now" is
 * the version each learner is held to, as their progress says. Only learners holding an award of an achievement that
 * some version of the pathway names (through nested pathways too) can be affected, so only they are read, from the
 * transcript read model; when a rule counts any award (`count`, `credits` without `from`) every learner with a
 * transcript is. Each is evaluated from the read model's awards through `evaluateStanding`, the evaluation progress
 * uses, so the answer is the one per-learner progress gives.
 */
export async function pathwayImpact(
  streams: StreamCommands,
  query: SqlQuery,
  pathway: DefinedPathway,
  versionNumber: number,
  at: string,
  page: { readonly after?: string; readonly limit: number },
): Promise<ImpactPage> {
  const target = versionToEvaluate(pathway, NO_STANDING, versionNumber);
  const rules = pathway.versions.map((version) => version.definition.rule);
  const { ruleOf } = await loadRuleCatalogue(streams, rules);
  const flattened = rules.map((rule) => flattenRule(rule, ruleOf));
  const named = flattened.some(countsAnyAward)
    ? undefined
    : flattened.flatMap((rule) => ruleReferences(rule).achievements);
  const candidates = await learnersHoldingAny(query, named, { after: page.after, limit: page.limit + 1 });
  const transcripts = await loadTranscriptStates(query, candidates.slice(0, page.limit));
  const standings = transcripts.map((transcript) => ({
    learnerId: transcript.learnerId,
    standing: standingOfTranscript(transcript),
  }));
  const held = standings.flatMap(({ standing }) => standing.records.map((entry) => entry.achievementId));
  const [catalogue, counting] = await Promise.all([
    loadRuleCatalogue(streams, rules, [...new Set(held)]),
    crossIssuerCounting(streams, pathway.issuerId),
  ]);
  const gain: string[] = [];
  const lose: string[] = [];
  for (const { learnerId, standing } of standings) {
    // Prepared once, evaluated against both versions.
    const prepared = prepareStanding(pathway, standing, catalogue, at);
    const satisfied = (version = versionToEvaluate(pathway, standing)) =>
      evaluateStanding(pathway, version, prepared, counting).satisfied;
    const now = satisfied();
    const then = satisfied(target);
    if (!now && then) gain.push(learnerId);
    if (now && !then) lose.push(learnerId);
  }
  const more = candidates.length > page.limit;
  return {
    learners: standings.length,
    gain,
    lose,
    ...(more ? { after: candidates[page.limit - 1] } : {}),
  };
}
