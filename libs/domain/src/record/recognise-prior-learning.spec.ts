import { achievementDefined, achievementRetired } from '../achievement/testing/achievement.fixtures';
import { assessor } from '../shared/testing/actors';
import type { Actor } from '../shared/actor';
import { specFor } from '../shared/testing/given-when-then';
import { foldRecord, recordDecider } from './record.decider';
import { contextWith, priorLearningRecognised, recognisePriorLearning } from './testing/record.fixtures';

const given = specFor(recordDecider);
const context = contextWith();
const otherRegistrar: Actor = { sub: 'registrar-9', roles: ['registrar'], issuers: ['uni-porto'] };
const SHA = 'b'.repeat(64);

describe('RecognisePriorLearning', () => {
  it('recognises an external credential for credit', () => {
    given().when(recognisePriorLearning(), context).then([priorLearningRecognised()]);
  });

  it('keeps url, award date, level and an evidence artifact', () => {
    const extra = {
      url: 'https://sigarra.up.pt/credentials/123',
      awardedAt: '2025-07-15T00:00:00.000Z',
      level: { framework: 'EQF', level: 6 },
      evidence: {
        description: 'Verified OB 3.0 credential',
        artifact: { url: 'https://sigarra.up.pt/c/123.json', sha256: SHA },
      },
    };
    given()
      .when(recognisePriorLearning(extra), context)
      .then([priorLearningRecognised(extra)]);
  });

  it('is credit, not an award: the record holds a recognition and no award', () => {
    expect(foldRecord([priorLearningRecognised()])).toEqual({
      evidence: [],
      assessments: [],
      awards: [],
      recognitions: [
        {
          recognitionId: 'rpl-1',
          credits: [{ framework: 'ECTS', value: 3 }],
          recognisedAt: '2026-02-20T12:00:00.000Z',
        },
      ],
    });
  });

  describe('is refused', () => {
    it('without the registrar role', () => {
      given()
        .when(recognisePriorLearning({}, { actor: assessor }), context)
        .thenThrows('role-required');
    });

    it('for a registrar of another issuer', () => {
      given()
        .when(recognisePriorLearning({}, { actor: otherRegistrar }), context)
        .thenThrows('not-your-issuer');
    });

    it('for an achievement that was never defined', () => {
      given().when(recognisePriorLearning(), contextWith([])).thenThrows('unknown-achievement');
    });

    it('for a retired achievement', () => {
      given()
        .when(recognisePriorLearning(), contextWith([achievementDefined(), achievementRetired()]))
        .thenThrows('achievement-retired');
    });

    it('for a recognition id already in the record', () => {
      given(priorLearningRecognised()).when(recognisePriorLearning(), context).thenThrows('duplicate-id');
    });

    it.each([
      ['no credits', { credits: [] }, 'invalid-field'],
      ['zero credits', { credits: [{ framework: 'ECTS', value: 0 }] }, 'invalid-field'],
      ['no issuer', { issuer: '' }, 'invalid-field'],
      ['no title', { title: '' }, 'invalid-field'],
      ['an award date after now', { awardedAt: '2027-01-01T00:00:00Z' }, 'instant-in-future'],
      ['a url that is not http(s)', { url: 'mailto:registry@up.pt' }, 'invalid-url'],
      ['no evidence description', { evidence: { description: '' } }, 'invalid-field'],
      ['a level out of range', { level: { framework: 'EQF', level: 0 } }, 'invalid-field'],
    ] as const)('for %s', (_, data, code) => {
      given()
        .when(recognisePriorLearning(data as object), context)
        .thenThrows(code);
    });
  });
});
