import {
  type DefinedPathway,
  type ImpactPage,
  type PathwayProgress,
  progressOnPathway,
  revisionImpact,
} from '@app/application';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class PathwayImpactQuery extends Query<ImpactPage> {
  constructor(
    readonly pathway: DefinedPathway,
    readonly version: number,
    readonly at: string,
    readonly page: { readonly after?: string; readonly limit: number },
    readonly minPosition?: string,
  ) {
    super();
  }
}
export const PathwayImpactQueryHandler = queryHandler(PathwayImpactQuery, (read, asked) =>
  revisionImpact(read, asked.pathway, asked.version, asked.at, asked.page, asked.minPosition),
);

export class PathwayProgressQuery extends Query<PathwayProgress> {
  constructor(
    readonly learnerId: string,
    readonly pathwayId: string,
    readonly at: string,
    readonly options: { readonly asOf?: Date; readonly effectiveAt?: string } = {},
  ) {
    super();
  }
}
export const PathwayProgressQueryHandler = queryHandler(PathwayProgressQuery, (read, asked) =>
  progressOnPathway(read, asked.learnerId, asked.pathwayId, asked.at, asked.options),
);
