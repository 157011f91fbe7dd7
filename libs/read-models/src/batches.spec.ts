import { batches } from './batches';

async function* timed(items: Array<[number, number]>) {
  for (const [waitMs, value] of items) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    yield value;
  }
}

describe('batches', () => {
  it('closes a batch when full, and when the source goes quiet', async () => {
    const result: number[][] = [];
    for await (const batch of batches(
      timed([
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
        [0, 5],
        [80, 6],
        [0, 7],
      ]),
      3,
      30,
    ))
      result.push(batch);
    expect(result).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7],
    ]);
  });

  it('loses and repeats nothing across many batches', async () => {
    const values = Array.from({ length: 1000 }, (_, index) => index);
    const result: number[] = [];
    for await (const batch of batches(timed(values.map((value) => [value % 97 === 0 ? 2 : 0, value])), 64, 1)) {
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(64);
      result.push(...batch);
    }
    expect(result).toEqual(values);
  });
});
