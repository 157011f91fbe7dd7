import type { ReadSide } from '@app/application';
import { Inject, type Type } from '@nestjs/common';
import { type Query, QueryHandler, type QueryResult } from '@nestjs/cqrs';
import { READ_SIDE } from './read-side.provider';

/**
 * The QueryBus handler of a query class: it only hands the query to its function in libs/application (the one the CLI
 * calls directly), over the api's read side.
 */
export function queryHandler<Q extends Query<unknown>>(
  query: Type<Q>,
  answer: (read: ReadSide, query: Q) => Promise<QueryResult<Q>>,
): Type<{ execute(query: Q): Promise<QueryResult<Q>> }> {
  @QueryHandler(query)
  class Handler {
    constructor(@Inject(READ_SIDE) private readonly read: ReadSide) {}

    execute(asked: Q): Promise<QueryResult<Q>> {
      return answer(this.read, asked);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${query.name}Handler` });
  return Handler;
}
