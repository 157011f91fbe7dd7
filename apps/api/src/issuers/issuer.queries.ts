import { issuerOf } from '@app/application';
import type { Issuer } from '@app/domain';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class IssuerQuery extends Query<Issuer> {
  constructor(readonly issuerId: string) {
    super();
  }
}
export const IssuerQueryHandler = queryHandler(IssuerQuery, (read, { issuerId }) => issuerOf(read, issuerId));
