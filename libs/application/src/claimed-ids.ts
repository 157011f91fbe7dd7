import type { DomainEvent } from './stream-commands';

/** The events that bring a record into being, and the field naming the id it takes for its stream alone. */
const CLAIMING_FIELDS: Readonly<Record<string, readonly [kind: string, field: string]>> = {
  AchievementAwarded: ['award', 'awardId'],
  EvidenceSubmitted: ['evidence', 'evidenceId'],
  AssessmentRecorded: ['assessment', 'assessmentId'],
  PriorLearningRecognised: ['recognition', 'recognitionId'],
  QualificationConferred: ['qualification', 'qualificationId'],
};

/**
 * The ids an event claims in the store (NewEvent.claims), as `kind:id`: an award, evidence, assessment, recognition or
 * qualification id belongs to one learner's stream, so a second learner can never be given it (by a reused
 * Idempotency-Key or an import ref).
 */
export function claimedIdsOf(event: DomainEvent): string[] {
  const claiming = CLAIMING_FIELDS[event.type];
  if (claiming === undefined) return [];
  const [kind, field] = claiming;
  const id = event.data[field];
  return typeof id === 'string' ? [`${kind}:${id}`] : [];
}

/** A claim as words for an error: `award:…` → `award id …`. */
export function describeClaim(claim: string): string {
  return claim.replace(':', ' id ');
}
