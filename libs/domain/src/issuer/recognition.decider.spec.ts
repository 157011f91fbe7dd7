import { admin, otherIssuerAdmin, OTHER_ISSUER_ID } from '../shared/testing/actors';
import type { DomainErrorCode } from '../shared/domain-error';
import { specFor } from '../shared/testing/given-when-then';
import { foldIssuer, issuerDecider } from './issuer.decider';
import { MAX_RECOGNISED_ACHIEVEMENTS } from './recognition.decider';
import type { RecordRecognition } from './recognition.commands';
import { recognitionInForce, recognitionWindow } from './recognition.state';
import { issuerRegistered } from './testing/issuer.fixtures';
import {
  RECOGNISED_FROM,
  recognitionContext,
  recognitionRecorded,
  recognitionWithdrawn,
  recordRecognition,
  WITHDRAWN_AT,
  withdrawRecognition,
} from './testing/recognition.fixtures';

const given = specFor(issuerDecider);
const context = recognitionContext();

describe('recognitions on the issuer stream', () => {
  describe('RecordRecognition', () => {
    it('records that the issuer counts a list of another issuer’s achievements from a date', () => {
      given(issuerRegistered()).when(recordRecognition(), context).then([recognitionRecorded()]);
    });

    it('records all of them, until a date, with the agreement and a note, instants made canonical', () => {
      given(issuerRegistered())
        .when(
          recordRecognition(
            {
              achievementIds: 'all',
              from: '2026-02-01T01:00+01:00',
              until: '2027-02-01T00:00:00Z',
              agreement: ' ERASMUS-2026-17 ',
              note: 'Erasmus+ inter-institutional agreement',
            },
            {},
          ),
          context,
        )
        .then([
          recognitionRecorded({
            achievementIds: 'all',
            until: '2027-02-01T00:00:00.000Z',
            agreement: 'ERASMUS-2026-17',
            note: 'Erasmus+ inter-institutional agreement',
          }),
        ]);
    });

    it.each<[string, Partial<RecordRecognition['data']>, DomainErrorCode]>([
      ['recognising itself', { recognisedIssuerId: 'tu-dublin' }, 'self-recognition'],
      ['an unknown recognised issuer', { recognisedIssuerId: 'uni-nowhere' }, 'unknown-issuer'],
      [
        'an achievement of a third issuer',
        { achievementIds: ['porto-stats', 'dublin-sql'] },
        'achievement-not-of-issuer',
      ],
      ['an achievement that is not defined', { achievementIds: ['porto-nothing'] }, 'achievement-not-of-issuer'],
      ['until before from', { until: '2026-01-01T00:00:00Z' }, 'invalid-field'],
      ['until equal to from', { until: RECOGNISED_FROM }, 'invalid-field'],
      ['no achievements', { achievementIds: [] }, 'invalid-field'],
      ['an achievement listed twice', { achievementIds: ['porto-ml', 'porto-ml'] }, 'duplicate-entry'],
      ['a from that is not an instant', { from: '2026-02-01' }, 'invalid-instant'],
      [
        'more achievements than may be listed',
        { achievementIds: Array.from({ length: MAX_RECOGNISED_ACHIEVEMENTS + 1 }, (_, i) => `porto-${i}`) },
        'invalid-field',
      ],
    ])('refuses %s', (_, data, code) => {
      given(issuerRegistered()).when(recordRecognition(data), context).thenThrows(code);
    });

    it('names each achievement that is not of the recognised issuer', () => {
      const error = given(issuerRegistered())
        .when(recordRecognition({ achievementIds: ['porto-stats', 'dublin-sql', 'porto-nothing'] }), context)
        .thenThrows('achievement-not-of-issuer');
      expect(error.issues.map((issue) => issue.path)).toEqual(['achievementIds[1]', 'achievementIds[2]']);
    });

    it('is for the recognising issuer’s admin only', () => {
      given(issuerRegistered())
        .when(recordRecognition({}, { actor: otherIssuerAdmin }), context)
        .thenThrows('not-your-issuer');
      given(issuerRegistered())
        .when(recordRecognition({}, { actor: admin }), context)
        .thenThrows('role-required');
    });

    it('refuses an unregistered recognising issuer and a repeated id', () => {
      given().when(recordRecognition(), context).thenThrows('unknown-issuer');
      given(issuerRegistered(), recognitionRecorded()).when(recordRecognition(), context).thenThrows('duplicate-id');
    });
  });

  describe('WithdrawRecognition', () => {
    it('ends the recognition now by default', () => {
      given(issuerRegistered(), recognitionRecorded()).when(withdrawRecognition()).then([recognitionWithdrawn()]);
    });

    it('ends it at a later instant, with a reason', () => {
      given(issuerRegistered(), recognitionRecorded())
        .when(withdrawRecognition({ effectiveAt: '2026-09-01T00:00:00Z', reason: 'agreement ended' }))
        .then([recognitionWithdrawn({ effectiveAt: '2026-09-01T00:00:00.000Z', reason: 'agreement ended' })]);
    });

    it('refuses an end before the withdrawal is recorded: that could take a conferred qualification away', () => {
      given(issuerRegistered(), recognitionRecorded())
        .when(withdrawRecognition({ effectiveAt: '2026-05-01T00:00:00Z' }))
        .thenThrows('invalid-field');
    });

    it('refuses an unknown id and withdrawing twice', () => {
      given(issuerRegistered(), recognitionRecorded())
        .when(withdrawRecognition({ recognitionId: 'other' }))
        .thenThrows('unknown-recognition');
      given(issuerRegistered(), recognitionRecorded(), recognitionWithdrawn())
        .when(withdrawRecognition())
        .thenThrows('recognition-withdrawn');
    });

    it('is for the recognising issuer’s admin only', () => {
      given(issuerRegistered(), recognitionRecorded())
        .when(withdrawRecognition({}, { actor: otherIssuerAdmin }))
        .thenThrows('not-your-issuer');
    });
  });

  describe('state', () => {
    it('keeps each recognition with its window, closed by a withdrawal', () => {
      const issuer = foldIssuer([
        issuerRegistered(),
        recognitionRecorded({ until: '2027-01-01T00:00:00.000Z' }),
        recognitionWithdrawn(),
      ]);
      if (issuer.status !== 'registered') throw new Error('registered expected');
      const [recognition] = issuer.recognitions;
      expect(recognitionWindow(recognition)).toEqual({
        recognisedIssuerId: OTHER_ISSUER_ID,
        achievementIds: ['porto-stats'],
        from: RECOGNISED_FROM,
        until: WITHDRAWN_AT,
      });
      expect(recognitionInForce(recognition, '2026-05-31T23:59:59.999Z')).toBe(true);
      expect(recognitionInForce(recognition, WITHDRAWN_AT)).toBe(false);
      expect(recognitionInForce(recognition, '2026-01-31T23:59:59.999Z')).toBe(false);
    });

    it('keeps an earlier until than the withdrawal’s', () => {
      const issuer = foldIssuer([
        issuerRegistered(),
        recognitionRecorded({ until: '2026-04-01T00:00:00.000Z' }),
        recognitionWithdrawn(),
      ]);
      if (issuer.status !== 'registered') throw new Error('registered expected');
      expect(recognitionWindow(issuer.recognitions[0]).until).toBe('2026-04-01T00:00:00.000Z');
    });
  });
});
