import { searchTranscriptAwards, type TranscriptSearch, transcriptProjection } from '@app/read-models';
import { readModelsOf, type ReadSide } from './read-side';

/** A registrar's search: a page of the awards of some issuers, every learner's, now, in (learnerId, awardId) order. */
export async function searchTranscripts(
  read: ReadSide,
  search: Omit<TranscriptSearch, 'at'> & { readonly minPosition?: string },
) {
  const { query, waitFor } = readModelsOf(read);
  const { minPosition, ...filter } = search;
  await waitFor(transcriptProjection.name, minPosition);
  const rows = await searchTranscriptAwards(query, {
    ...filter,
    at: new Date().toISOString(),
    limit: filter.limit + 1,
  });
  return { items: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}
