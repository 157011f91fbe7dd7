import {
  type Achievement,
  achievementDecider,
  achievementStream,
  type Pathway,
  pathwayDecider,
  pathwayStream,
} from '@app/domain';
import {
  achievementCatalogueProjection,
  type CatalogueFilter,
  listAchievements,
  listPathways,
  pathwayCatalogueProjection,
} from '@app/read-models';
import { type Aggregate, type DomainEvent, StreamCommands } from '../stream-commands';
import { readModelsOf, type ReadSide } from './read-side';

/** The two kinds of definition with a define / revise / retire lifecycle, and where each is read from. */
const DEFINITIONS = {
  achievement: {
    stream: achievementStream,
    aggregate: achievementDecider,
    catalogue: achievementCatalogueProjection.name,
    list: listAchievements,
  },
  pathway: {
    stream: pathwayStream,
    aggregate: pathwayDecider,
    catalogue: pathwayCatalogueProjection.name,
    list: listPathways,
  },
};

export type DefinitionKind = keyof typeof DEFINITIONS;
type StateOf<K extends DefinitionKind> = K extends 'achievement' ? Achievement : Pathway;

/** A catalogue (`GET /achievements`, `GET /pathways`): every definition with every version, from its read model. */
export async function catalogueOf<K extends DefinitionKind>(
  read: ReadSide,
  kind: K,
  filter: CatalogueFilter & { readonly minPosition?: string },
): Promise<StateOf<K>[]> {
  const { query, waitFor } = readModelsOf(read);
  const { minPosition, ...rest } = filter;
  await waitFor(DEFINITIONS[kind].catalogue, minPosition);
  return (await DEFINITIONS[kind].list(query, rest)) as StateOf<K>[];
}

/** One definition with every version, folded from its stream (`status: 'none'` when it was never defined). */
export function definitionOf<K extends DefinitionKind>(read: ReadSide, kind: K, id: string): Promise<StateOf<K>> {
  const { stream, aggregate } = DEFINITIONS[kind];
  return new StreamCommands(read.store).load(stream(id), aggregate as unknown as Aggregate<StateOf<K>, DomainEvent>);
}
