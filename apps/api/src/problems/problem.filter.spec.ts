import { IdClaimedByAnotherStream } from '@app/event-store';
import { toProblem } from './problem.filter';

describe('toProblem', () => {
  it('answers an id another stream holds with 409 id-already-held, without naming the holder', () => {
    const problem = toProblem(new IdClaimedByAnotherStream('award:0b1c', 'record-ada~sql'));
    expect(problem).toEqual({
      type: 'urn:tessera:problem:id-already-held',
      title: 'Id already held',
      status: 409,
      code: 'id-already-held',
      detail: 'the award id 0b1c that this request gives is held by another record; nothing was written',
    });
  });
});
