import type { Command, Decider, Event } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { requireIssuer, requireRole } from '../shared/actor';

/**
 * A learner's profile history. Personal data (name, email) lives in an erasable profile store outside the ledger;
 * these events only record that it was given or erased, so the ledger still reads and verifies after erasure.
 */
export type LearnerProfileRecorded = Event<
  'LearnerProfileRecorded',
  {
    schemaVersion: 1;
    learnerId: string;
    fields: string[];
    recordedAt: string;
    recordedBy: string;
    /** The issuer whose registrar recorded it (absent when the learner did): it may keep the profile from then on. */
    issuerId?: string;
  }
>;
export type LearnerProfileErased = Event<
  'LearnerProfileErased',
  { schemaVersion: 1; learnerId: string; erasedAt: string; erasedBy: string }
>;
export type LearnerEvent = LearnerProfileRecorded | LearnerProfileErased;

export type RecordLearnerProfile = Command<
  'RecordLearnerProfile',
  { learnerId: string; fields: string[]; issuerId?: string }
>;
export type EraseLearnerProfile = Command<'EraseLearnerProfile', { learnerId: string }>;
export type LearnerCommand = RecordLearnerProfile | EraseLearnerProfile;

/** `registeredBy`: the issuers whose registrars recorded the profile, in the order they first did. */
export type LearnerProfile = { status: 'none' | 'present' | 'erased'; registeredBy: string[] };

export const initialLearnerProfile = (): LearnerProfile => ({ status: 'none', registeredBy: [] });

export function evolveLearnerProfile(state: LearnerProfile, event: LearnerEvent): LearnerProfile {
  if (event.type === 'LearnerProfileErased') return { ...state, status: 'erased' };
  const { issuerId } = event.data;
  const registeredBy =
    issuerId === undefined || state.registeredBy.includes(issuerId)
      ? state.registeredBy
      : [...state.registeredBy, issuerId];
  return { status: 'present', registeredBy };
}

/** Registrars keep profiles; the learner themself may too (the HTTP layer checks it is their own). */
const KEEPERS = ['registrar', 'admin', 'learner'] as const;

export function decideLearnerProfile(command: LearnerCommand, state: LearnerProfile): LearnerEvent[] {
  const { now, actor } = command.metadata;
  const { learnerId } = command.data;
  if (command.type === 'RecordLearnerProfile') {
    requireRole(actor, KEEPERS, "keep a learner's profile");
    const { issuerId } = command.data;
    if (issuerId !== undefined) requireIssuer(actor, issuerId, "keep a learner's profile");
    return [
      {
        type: 'LearnerProfileRecorded',
        data: {
          schemaVersion: 1,
          learnerId,
          fields: [...command.data.fields].sort(),
          recordedAt: now,
          recordedBy: actor.sub,
          ...(issuerId === undefined ? {} : { issuerId }),
        },
      },
    ];
  }
  requireRole(actor, KEEPERS, "erase a learner's profile");
  if (state.status !== 'present')
    throw new DomainError('unknown-profile', `The learner ${learnerId} has no profile to erase (${state.status})`);
  return [{ type: 'LearnerProfileErased', data: { schemaVersion: 1, learnerId, erasedAt: now, erasedBy: actor.sub } }];
}

export const learnerProfileDecider: Decider<LearnerCommand, LearnerEvent, LearnerProfile> = {
  decide: decideLearnerProfile,
  evolve: evolveLearnerProfile,
  initialState: initialLearnerProfile,
};
