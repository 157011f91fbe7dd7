import { type AuditReport, verifyAudit } from '@app/application';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

/** Every stream's hash chain, replayed and checked. */
export class AuditVerifyQuery extends Query<AuditReport> {}
export const AuditVerifyQueryHandler = queryHandler(AuditVerifyQuery, (read) => verifyAudit(read.store));
