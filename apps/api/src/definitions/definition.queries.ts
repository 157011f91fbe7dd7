import { catalogueOf, type DefinitionKind, definitionOf } from '@app/application';
import type { Achievement, Pathway } from '@app/domain';
import type { CatalogueFilter } from '@app/read-models';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class CatalogueQuery extends Query<Array<Achievement | Pathway>> {
  constructor(
    readonly kind: DefinitionKind,
    readonly filter: CatalogueFilter & { readonly minPosition?: string },
  ) {
    super();
  }
}
export const CatalogueQueryHandler = queryHandler(CatalogueQuery, (read, { kind, filter }) =>
  catalogueOf(read, kind, filter),
);

export class DefinitionQuery extends Query<Achievement | Pathway> {
  constructor(
    readonly kind: DefinitionKind,
    readonly id: string,
  ) {
    super();
  }
}
export const DefinitionQueryHandler = queryHandler(DefinitionQuery, (read, { kind, id }) =>
  definitionOf(read, kind, id),
);
