import { isId, isSlug } from './ids';
import { achievementStream, issuerStream, parseRecordStream, recordStream } from './streams';

const UUID_A = '7f3c2a10-5b4e-4c1d-9a8f-0e6d5c4b3a21';
const UUID_B = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

describe('stream names', () => {
  it('names issuer, achievement and record streams', () => {
    expect(issuerStream('tu-dublin')).toBe('issuer-tu-dublin');
    expect(achievementStream('python-testing')).toBe('achievement-python-testing');
    expect(recordStream(UUID_A, 'python-testing')).toBe(`record-${UUID_A}~python-testing`);
  });

  it('splits a record stream one way only, whatever hyphens the ids hold', () => {
    for (const [learnerId, achievementId] of [
      [UUID_A, UUID_B],
      ['a-b', 'c-d'],
      ['a', 'b-c-d'],
      ['a-b-c', 'd'],
      ['urn:learner:42', 'python.testing_v2'],
    ])
      expect(parseRecordStream(recordStream(learnerId, achievementId))).toEqual({ learnerId, achievementId });
    expect(recordStream('a-b', 'c')).not.toBe(recordStream('a', 'b-c'));
  });

  it('does not parse other streams', () => {
    for (const name of ['issuer-tu-dublin', 'record-a-b', 'record-a~b~c', 'record-~b', 'record-a~'])
      expect(parseRecordStream(name)).toBeUndefined();
  });

  it.each([
    ['a tilde', 'a~b'],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a leading hyphen', '-ab'],
    ['a trailing hyphen', 'ab-'],
    ['nothing', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a non-ASCII letter', 'café'],
  ])('refuses an id with %s', (_, id) => {
    expect(isId(id)).toBe(false);
    expect(() => recordStream(id, 'x')).toThrow(expect.objectContaining({ code: 'invalid-id' }));
    expect(() => recordStream('x', id)).toThrow(expect.objectContaining({ code: 'invalid-id' }));
    expect(() => achievementStream(id)).toThrow(expect.objectContaining({ code: 'invalid-id' }));
  });

  it('accepts UUIDs, slugs and urn-like ids of up to 64 characters', () => {
    for (const id of [UUID_A, 'python-testing', 'urn:uuid:1', 'A.b_c:d-e', 'a'.repeat(64), '7'])
      expect(isId(id)).toBe(true);
  });

  it('wants issuer ids as lower-case slugs', () => {
    expect(isSlug('tu-dublin')).toBe(true);
    for (const id of ['TU-Dublin', 'tu--dublin', 'tu_dublin', 'tu.dublin', '-tu', 'tu-']) {
      expect(isSlug(id)).toBe(false);
      expect(() => issuerStream(id)).toThrow(expect.objectContaining({ code: 'invalid-id' }));
    }
  });

  it('keeps the longest record stream under the store limit of 200 characters', () => {
    expect(recordStream('a'.repeat(64), 'b'.repeat(64)).length).toBeLessThanOrEqual(200);
  });
});
