import { type AnalyticsReader, issuerChartsOf } from '@app/application';
import type { IssuerCharts } from '@app/domain';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class IssuerChartsQuery extends Query<IssuerCharts> {
  constructor(
    readonly issuerId: string,
    readonly reader: AnalyticsReader,
  ) {
    super();
  }
}
export const IssuerChartsQueryHandler = queryHandler(IssuerChartsQuery, (read, { issuerId, reader }) =>
  issuerChartsOf(read, issuerId, reader),
);
