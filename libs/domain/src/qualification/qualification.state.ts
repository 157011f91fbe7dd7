import type { QualificationConferred, QualificationEvent } from './qualification.events';

/** Conferred and in force; or invalidated (its basis lost an award); or revoked. Only `conferred` counts. */
export type QualificationStatus = 'conferred' | 'invalidated' | 'revoked';

type Conferred = Omit<QualificationConferred['data'], 'schemaVersion'>;

export type QualificationEntry = Conferred &
  (
    | { status: 'conferred' }
    | { status: 'invalidated'; reason: string; lostAwardIds: string[]; endedAt: string }
    | { status: 'revoked'; reason: string; endedAt: string }
  );

/** One learner's qualifications from one pathway, in the order conferred; at most one of them `conferred`. */
export type Qualifications = { qualifications: QualificationEntry[] };

export const initialQualifications = (): Qualifications => ({ qualifications: [] });

/** Ends the qualification, if it is in force, as `end` says. */
const ended = (
  state: Qualifications,
  qualificationId: string,
  end: (entry: QualificationEntry) => QualificationEntry,
) => ({
  qualifications: state.qualifications.map((entry) =>
    entry.qualificationId === qualificationId && entry.status === 'conferred' ? end(entry) : entry,
  ),
});

export function evolveQualifications(state: Qualifications, event: QualificationEvent): Qualifications {
  switch (event.type) {
    case 'QualificationConferred': {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- everything but the schema version
      const { schemaVersion, ...data } = event.data;
      return { qualifications: [...state.qualifications, { ...data, status: 'conferred' }] };
    }
    case 'QualificationBasisInvalidated': {
      const { qualificationId, reason, lostAwardIds, at } = event.data;
      return ended(state, qualificationId, (entry) => ({
        ...entry,
        status: 'invalidated',
        reason,
        lostAwardIds,
        endedAt: at,
      }));
    }
    case 'QualificationRevoked': {
      const { qualificationId, reason, at } = event.data;
      return ended(state, qualificationId, (entry) => ({
        ...entry,
        status: 'revoked',
        reason,
        endedAt: at,
      }));
    }
    default:
      return state;
  }
}

/** The qualification in force (conferred, neither invalidated nor revoked), if any. */
export function activeQualification(state: Qualifications): QualificationEntry | undefined {
  return state.qualifications.find((entry) => entry.status === 'conferred');
}

export function findQualification(state: Qualifications, qualificationId: string): QualificationEntry | undefined {
  return state.qualifications.find((entry) => entry.qualificationId === qualificationId);
}
