import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, LONG_TEXT, Validation } from '../shared/validation';
import type { SubmitEvidence } from './record.commands';
import { achievementOf, type RecordContext, usableVersion } from './record.context';
import type { Artifact, EvidenceKind, EvidenceSubmitted } from './record.events';
import type { LearnerRecord } from './record.state';

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['accomplishment', 'challenge'];

export function checkArtifact(v: Validation, path: string, input: unknown): Artifact {
  const artifact = v.object(path, input);
  return { url: v.url(`${path}.url`, artifact.url), sha256: v.sha256(`${path}.sha256`, artifact.sha256) };
}

export function submitEvidence(
  command: SubmitEvidence,
  record: LearnerRecord,
  context: RecordContext,
): EvidenceSubmitted {
  const { data, metadata } = command;
  const { actor } = metadata;
  requireRole(actor, ['assessor'], 'submit evidence');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const achievementId = v.id('achievementId', data.achievementId);
  const evidenceId = v.id('evidenceId', data.evidenceId);
  if (data.version !== undefined) v.integer('version', data.version, 1, Number.MAX_SAFE_INTEGER);
  const kind = v.oneOf('kind', data.kind, EVIDENCE_KINDS);
  const criterionIds = v
    .list('criterionIds', data.criterionIds, 1)
    .map((id, index) => v.text(`criterionIds[${index}]`, id));
  v.unique('criterionIds', criterionIds);
  const description = v.text('description', data.description, LONG_TEXT);
  const artifact = data.artifact === undefined ? undefined : checkArtifact(v, 'artifact', data.artifact);
  const observedBy = data.observedBy === undefined ? actor.sub : v.text('observedBy', data.observedBy);
  const observedAt = v.pastInstant('observedAt', data.observedAt, now);
  v.done();

  const achievement = achievementOf(context, achievementId);
  requireIssuer(actor, achievement.issuerId, 'submit evidence');
  const { version, definition } = usableVersion(achievement, data.version, 'submit evidence');
  const unknown = criterionIds.filter((id) => !definition.criteria.some((criterion) => criterion.id === id));
  if (unknown.length > 0)
    throw new DomainError(
      'unknown-criterion',
      `Version ${version} of ${achievementId} has no criterion ${unknown.join(', ')}`,
    );
  if (record.evidence.some((evidence) => evidence.evidenceId === evidenceId))
    throw new DomainError('duplicate-id', `The record already holds the evidence ${evidenceId}`);

  return {
    type: 'EvidenceSubmitted',
    data: {
      schemaVersion: 1,
      learnerId,
      achievementId,
      version,
      evidenceId,
      kind,
      criterionIds,
      description,
      ...(artifact === undefined ? {} : { artifact }),
      observedBy,
      observedAt,
      submittedBy: actor.sub,
      submittedAt: now,
    },
  };
}
