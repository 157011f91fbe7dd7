import * as domain from './index';

describe('@app/domain', () => {
  it('offers a decider and a fold for each aggregate', () => {
    for (const decider of [domain.issuerDecider, domain.achievementDecider, domain.recordDecider])
      expect(Object.keys(decider).sort()).toEqual(['decide', 'evolve', 'initialState']);
    expect(domain.foldIssuer([])).toEqual(domain.initialIssuer());
    expect(domain.foldAchievement([])).toEqual(domain.initialAchievement());
    expect(domain.foldRecord([])).toEqual(domain.initialRecord());
  });

  it('offers the stream names', () => {
    expect(domain.recordStream('l-1', 'a-1')).toBe('record-l-1~a-1');
    expect(domain.parseRecordStream('record-l-1~a-1')).toEqual({ learnerId: 'l-1', achievementId: 'a-1' });
  });
});
