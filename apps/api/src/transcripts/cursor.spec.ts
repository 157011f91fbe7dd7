import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './cursor';

describe('opaque cursors', () => {
  it('round-trips its fields as base64url', () => {
    const cursor = encodeCursor({ learnerId: 'ada', awardId: 'a/1+?' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['learnerId', 'awardId'] as const)).toEqual({ learnerId: 'ada', awardId: 'a/1+?' });
  });

  it.each([
    ['not base64 JSON', 'bm9wZQ'],
    ['a missing field', encodeCursor({ learnerId: 'ada' })],
    ['an extra field', encodeCursor({ learnerId: 'ada', awardId: 'x', more: 'y' })],
    ['an empty field', encodeCursor({ learnerId: '', awardId: 'x' })],
    ['an array', Buffer.from('["ada","x"]').toString('base64url')],
  ])('refuses %s with a 400', (_what, cursor) => {
    expect(() => decodeCursor(cursor, ['learnerId', 'awardId'] as const)).toThrow(BadRequestException);
  });

  it('applies the check given', () => {
    expect(() => decodeCursor(encodeCursor({ p: '12x' }), ['p'] as const, ({ p }) => /^\d+$/.test(p))).toThrow(
      BadRequestException,
    );
    expect(decodeCursor(encodeCursor({ p: '12' }), ['p'] as const, ({ p }) => /^\d+$/.test(p))).toEqual({ p: '12' });
  });
});
