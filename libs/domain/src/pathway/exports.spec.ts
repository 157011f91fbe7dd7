import * as domain from '../index';

describe('@app/domain pathways and qualifications', () => {
  it('offers a decider and a fold for each', () => {
    for (const decider of [domain.pathwayDecider, domain.qualificationDecider])
      expect(Object.keys(decider).sort()).toEqual(['decide', 'evolve', 'initialState']);
    expect(domain.foldPathway([])).toEqual(domain.initialPathway());
    expect(domain.foldQualifications([])).toEqual(domain.initialQualifications());
  });

  it('offers the stream names', () => {
    expect(domain.pathwayStream('p-1')).toBe('pathway-p-1');
    expect(domain.qualificationStream('l-1', 'p-1')).toBe('qualification-l-1~p-1');
    expect(domain.parseQualificationStream('qualification-l-1~p-1')).toEqual({ learnerId: 'l-1', pathwayId: 'p-1' });
    expect(domain.STREAM_PREFIX).toMatchObject({ pathway: 'pathway-', qualification: 'qualification-' });
  });

  it('maps the new error codes to their kinds', () => {
    expect(domain.DOMAIN_ERROR_KINDS).toMatchObject({
      'invalid-rule': 'refused',
      'unknown-pathway': 'not-found',
      'unknown-qualification': 'not-found',
      'pathway-already-defined': 'conflict',
      'already-conferred': 'conflict',
      'qualification-not-active': 'conflict',
      'pathway-retired': 'refused',
      'pathway-cycle': 'refused',
      'rule-not-met': 'refused',
      'registrar-conferral-required': 'refused',
      'not-in-basis': 'refused',
    });
  });
});
