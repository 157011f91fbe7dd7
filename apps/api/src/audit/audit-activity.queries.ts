import {
  type AuditProgress,
  type AuditReport,
  ledgerEventTotal,
  recentActivity,
  type RecentActivityOptions,
  type RecentActivityPage,
  verifyAudit,
} from '@app/application';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class RecentActivityQuery extends Query<RecentActivityPage> {
  constructor(
    readonly issuerIds: readonly string[],
    readonly options: RecentActivityOptions,
  ) {
    super();
  }
}
export const RecentActivityQueryHandler = queryHandler(RecentActivityQuery, (read, { issuerIds, options }) =>
  recentActivity(read, issuerIds, options),
);

/** The events the stream summary counts: what an audit's progress reports as its estimated total. */
export class LedgerEventTotalQuery extends Query<number> {}
export const LedgerEventTotalQueryHandler = queryHandler(LedgerEventTotalQuery, (read) => ledgerEventTotal(read));

/** The audit, telling `onProgress` after each page of the log read (GET /audit/verify/progress streams it). */
export class AuditProgressQuery extends Query<AuditReport> {
  constructor(readonly onProgress: (progress: AuditProgress) => void) {
    super();
  }
}
export const AuditProgressQueryHandler = queryHandler(AuditProgressQuery, (read, { onProgress }) =>
  verifyAudit(read.store, { onProgress }),
);
