import { transcriptProjection } from '@app/read-models';
import { type ImpactPage, pathwayImpact } from '../pathway-impact';
import type { DefinedPathway } from '../pathway-progress';
import { StreamCommands } from '../stream-commands';
import { readModelsOf, type ReadSide } from './read-side';

/**
 * A page of the dry run of a pathway revision (`GET /pathways/:id/revisions/:v/impact`): which learners would gain or
 * lose the pathway under `version`, evaluated at `at`, once the transcript read model holds `minPosition`.
 */
export async function revisionImpact(
  read: ReadSide,
  pathway: DefinedPathway,
  version: number,
  at: string,
  page: { readonly after?: string; readonly limit: number },
  minPosition?: string,
): Promise<ImpactPage> {
  const { query, waitFor } = readModelsOf(read);
  await waitFor(transcriptProjection.name, minPosition);
  return pathwayImpact(new StreamCommands(read.store), query, pathway, version, at, page);
}
