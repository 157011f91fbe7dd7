import {
  activeQualification,
  type ConferQualification,
  type InvalidateQualification,
  type NodeResult,
  type QualificationBasis,
  type QualificationCommand,
  type QualificationEntry,
  type RevokeQualification,
} from '@app/domain';
import type { LearnerLedger } from './learner-ledger';
import type { PathwayProgress } from './pathway-progress';

/** What a satisfied evaluation rests on: the awards and recognitions it counted and the nested qualifications. */
export function conferralBasis(progress: PathwayProgress): QualificationBasis {
  const nodes = flatten(progress.result.tree);
  const recognitionIds = [...new Set(nodes.flatMap((node) => node.recognitions ?? []))].sort();
  const nestedPathways = new Set(
    nodes
      .filter((node) => node.conferred && 'pathway' in node.rule)
      .map((node) => (node.rule as { pathway: string }).pathway),
  );
  const pathwayQualificationIds = progress.ledger.qualifications
    .filter(({ pathwayId }) => nestedPathways.has(pathwayId))
    .flatMap(({ state }) => activeQualification(state)?.qualificationId ?? [])
    .sort();
  return { awardIds: [...progress.result.countedAwards].sort(), recognitionIds, pathwayQualificationIds };
}

/** The command conferring the pathway's award on the learner, from their evaluated progress. */
export function conferCommand(
  progress: PathwayProgress,
  qualificationId: string,
  conferral: ConferQualification['data']['conferral'],
  metadata: ConferQualification['metadata'],
): ConferQualification {
  const { result, version } = progress;
  return {
    type: 'ConferQualification',
    data: {
      learnerId: progress.ledger.learnerId,
      pathwayId: result.pathwayId,
      qualificationId,
      version: version.version,
      basis: conferralBasis(progress),
      credits: [{ framework: result.credits.framework, value: result.credits.earned }],
      level: version.definition.award.level,
      conferral,
      evaluation: { satisfied: result.satisfied },
    },
    metadata,
  };
}

/**
 * What the conferral process manager should do for one learner and one automatic pathway: confer a satisfied pathway
 * not yet held; end a held qualification whose basis lost an award (invalidate or revoke, as the pathway says).
 */
export function conferralDecision(
  progress: PathwayProgress,
  held: QualificationEntry | undefined,
  newQualificationId: string,
  metadata: QualificationCommand['metadata'],
): QualificationCommand | undefined {
  const { result, version, ledger } = progress;
  if (!held)
    return result.satisfied && version.definition.conferral === 'automatic'
      ? conferCommand(progress, newQualificationId, 'automatic', metadata)
      : undefined;
  // While the rule still holds (on the same awards or others) the qualification stands.
  if (result.satisfied) return undefined;
  const stillCounted = new Set(result.countedAwards);
  const stillHeld = new Set(
    ledger.qualifications.flatMap(({ state }) => activeQualification(state)?.qualificationId ?? []),
  );
  const lostAwardIds = [
    ...held.basis.awardIds.filter((awardId) => !stillCounted.has(awardId)),
    ...held.basis.pathwayQualificationIds.filter((qualificationId) => !stillHeld.has(qualificationId)),
  ];
  const reason = `the basis no longer holds: ${lostAwardIds.length ? `award(s) ${lostAwardIds.join(', ')} no longer count` : 'the rule is no longer met'}`;
  const key = {
    learnerId: ledger.learnerId,
    pathwayId: result.pathwayId,
    qualificationId: held.qualificationId,
    reason,
  };
  if (version.definition.onBasisLost === 'revoke')
    return { type: 'RevokeQualification', data: key, metadata } satisfies RevokeQualification;
  return {
    type: 'InvalidateQualification',
    data: { ...key, lostAwardIds: lostAwardIds.length ? lostAwardIds : held.basis.awardIds },
    metadata,
  } satisfies InvalidateQualification;
}

export function heldQualification(ledger: LearnerLedger, pathwayId: string): QualificationEntry | undefined {
  const entry = ledger.qualifications.find((candidate) => candidate.pathwayId === pathwayId);
  return entry && activeQualification(entry.state);
}

function flatten(node: NodeResult): NodeResult[] {
  return [node, ...(node.children ?? []).flatMap(flatten)];
}
