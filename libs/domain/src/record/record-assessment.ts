import type { Criterion } from '../achievement/achievement.definition';
import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { compareInstants } from '../shared/instant';
import { checkMetadata, Validation } from '../shared/validation';
import type { RecordAssessment } from './record.commands';
import { achievementOf, type RecordContext, requirePublished, usableVersion } from './record.context';
import type { AssessmentOutcome, AssessmentRecorded, CriterionResult } from './record.events';
import type { LearnerRecord } from './record.state';

/** `passed` when every required criterion of the rubric has a result that is met; criteria left out are not met. */
export function outcomeOf(criteria: readonly Criterion[], results: readonly CriterionResult[]): AssessmentOutcome {
  const met = new Set(results.filter((result) => result.met).map((result) => result.criterionId));
  return criteria.every((criterion) => !criterion.required || met.has(criterion.id)) ? 'passed' : 'not-yet';
}

export function recordAssessment(
  command: RecordAssessment,
  record: LearnerRecord,
  context: RecordContext,
): AssessmentRecorded {
  const { data, metadata } = command;
  const { actor } = metadata;
  requireRole(actor, ['assessor'], 'record an assessment');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const achievementId = v.id('achievementId', data.achievementId);
  const assessmentId = v.id('assessmentId', data.assessmentId);
  if (data.version !== undefined) v.integer('version', data.version, 1, Number.MAX_SAFE_INTEGER);
  const evidenceIds = v.ids('evidenceIds', data.evidenceIds, 1);
  const results = v.list('results', data.results, 1).map((item, index) => {
    const result = v.object(`results[${index}]`, item);
    return {
      criterionId: v.text(`results[${index}].criterionId`, result.criterionId),
      met: v.boolean(`results[${index}].met`, result.met),
    };
  });
  v.unique(
    'results',
    results.map((result) => result.criterionId),
  );
  // Only a date given (a record moved from another system) is held to the order of the record: clocks may differ.
  const backdated = v.optionalPastInstant('assessedAt', data.assessedAt, now);
  v.done();

  const achievement = achievementOf(context, achievementId);
  requireIssuer(actor, achievement.issuerId, 'record an assessment');
  requirePublished(achievement, 'record an assessment');
  if (record.assessments.some((assessment) => assessment.assessmentId === assessmentId))
    throw new DomainError('duplicate-id', `The record already holds the assessment ${assessmentId}`);
  const evidence = evidenceIds.map((id) => {
    const found = record.evidence.find((item) => item.evidenceId === id);
    if (found === undefined) throw new DomainError('unknown-evidence', `The record holds no evidence ${id}`);
    if (found.withdrawnAt !== undefined)
      throw new DomainError('evidence-withdrawn', `The evidence ${id} was withdrawn at ${found.withdrawnAt}`);
    return found;
  });
  const latest = evidence
    .map((item) => item.observedAt)
    .reduce((last, observedAt) => (compareInstants(observedAt, last) > 0 ? observedAt : last));
  if (backdated && compareInstants(backdated, latest) < 0)
    throw new DomainError(
      'assessed-before-evidence',
      `assessedAt ${backdated} is before the evidence it cites (observed ${latest})`,
    );
  const versions = [...new Set([data.version ?? evidence[0].version, ...evidence.map((item) => item.version)])];
  if (versions.length > 1)
    throw new DomainError(
      'version-mismatch',
      `An assessment is against one version; this one names ${versions.join(' and ')}`,
    );
  const { version, definition } = usableVersion(achievement, versions[0], 'record an assessment');
  const unknown = results.filter(
    (result) => !definition.criteria.some((criterion) => criterion.id === result.criterionId),
  );
  if (unknown.length > 0)
    throw new DomainError(
      'unknown-criterion',
      `Version ${version} of ${achievementId} has no criterion ${unknown.map((result) => result.criterionId).join(', ')}`,
    );

  return {
    type: 'AssessmentRecorded',
    data: {
      schemaVersion: 1,
      learnerId,
      achievementId,
      version,
      assessmentId,
      assessor: actor.sub,
      evidenceIds,
      results,
      outcome: outcomeOf(definition.criteria, results),
      assessedAt: backdated ?? now,
    },
  };
}
