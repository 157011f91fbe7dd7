import { checkCredits, checkLevel } from '../achievement/achievement.definition';
import { CONFERRAL_MODES } from '../pathway/pathway.definition';
import { findPathwayVersion, type Pathway } from '../pathway/pathway.state';
import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, Validation } from '../shared/validation';
import type { ConferQualification, QualificationBasis } from './qualification.commands';
import type { QualificationConferred } from './qualification.events';
import { activeQualification, findQualification, type Qualifications } from './qualification.state';

/** State from other streams the handler loads for ConferQualification: the pathway (`pathway-{pathwayId}`). */
export type QualificationContext = { pathway: Pathway };

function checkBasis(v: Validation, input: unknown): QualificationBasis {
  const basis = v.object('basis', input);
  return {
    awardIds: v.ids('basis.awardIds', basis.awardIds),
    recognitionIds: v.ids('basis.recognitionIds', basis.recognitionIds),
    pathwayQualificationIds: v.ids('basis.pathwayQualificationIds', basis.pathwayQualificationIds),
  };
}

/**
 * Confers a version of a pathway on a learner, once the caller's evaluation of its rule is satisfied.
 * - `conferral: 'automatic'` needs the `admin` role (the process manager acts as CONFERRAL_ACTOR), and a version
 *   whose conferral is automatic; `conferral: 'registrar'` needs a registrar of the pathway's issuer and a version
 *   whose conferral is by a registrar (an automatic one is the process manager's alone).
 * - The pathway must be defined, not retired, and have the version; the learner may hold no qualification of it in
 *   force (one invalidated or revoked does not count); the qualification id is new to the stream.
 */
export function conferQualification(
  command: ConferQualification,
  state: Qualifications,
  context: QualificationContext | undefined,
): QualificationConferred {
  const { data, metadata } = command;
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const pathwayId = v.id('pathwayId', data.pathwayId);
  const qualificationId = v.id('qualificationId', data.qualificationId);
  const version = v.integer('version', data.version, 1, Number.MAX_SAFE_INTEGER);
  const basis = checkBasis(v, data.basis);
  const credits = checkCredits(v, 'credits', data.credits);
  const level = checkLevel(v, 'level', data.level);
  const conferral = v.oneOf('conferral', data.conferral, CONFERRAL_MODES);
  const satisfied = v.boolean('evaluation.satisfied', v.object('evaluation', data.evaluation).satisfied);
  v.done();

  if (context === undefined) throw new Error('ConferQualification needs the pathway in its context');
  const { pathway } = context;
  if (pathway.status === 'none') throw new DomainError('unknown-pathway', `No pathway ${pathwayId} is defined`);
  if (pathway.pathwayId !== pathwayId)
    throw new Error(`The context holds the pathway ${pathway.pathwayId}, not ${pathwayId}`);
  if (conferral === 'automatic') requireRole(metadata.actor, ['admin'], 'confer a qualification automatically');
  else {
    requireRole(metadata.actor, ['registrar'], 'confer a qualification');
    requireIssuer(metadata.actor, pathway.issuerId, 'confer a qualification');
  }
  if (pathway.status === 'retired')
    throw new DomainError('pathway-retired', `The pathway ${pathwayId} was retired at ${pathway.retiredAt}`);
  const pathwayVersion = findPathwayVersion(pathway, version);
  if (pathwayVersion === undefined)
    throw new DomainError('unknown-version', `The pathway ${pathwayId} has no version ${version}`);
  const { definition } = pathwayVersion;
  if (conferral === 'automatic' && definition.conferral === 'registrar')
    throw new DomainError(
      'registrar-conferral-required',
      `Version ${version} of ${pathwayId} is conferred by a registrar, not automatically`,
    );
  if (conferral === 'registrar' && definition.conferral === 'automatic')
    throw new DomainError(
      'automatic-conferral',
      `Version ${version} of ${pathwayId} is conferred automatically when its rule is met, not by a registrar`,
    );

  const active = activeQualification(state);
  if (active !== undefined)
    throw new DomainError(
      'already-conferred',
      `The learner already holds ${active.qualificationId} from ${pathwayId}, conferred at ${active.conferredAt}`,
    );
  if (findQualification(state, qualificationId) !== undefined)
    throw new DomainError('duplicate-id', `The qualification id ${qualificationId} is taken`);
  if (!satisfied)
    throw new DomainError('rule-not-met', `The learner does not meet the rule of version ${version} of ${pathwayId}`);

  return {
    type: 'QualificationConferred',
    data: {
      schemaVersion: 1,
      learnerId,
      pathwayId,
      qualificationId,
      issuerId: pathway.issuerId,
      version,
      basis,
      credits,
      level,
      awardTitle: definition.award.title,
      awardType: definition.award.type,
      conferral,
      conferredAt: now,
      conferredBy: metadata.actor.sub,
    },
  };
}
