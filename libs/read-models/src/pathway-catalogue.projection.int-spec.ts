import { foldPathway, pathwayStream } from '@app/domain';
import {
  definition,
  NESTED_PATHWAY_ID,
  PATHWAY_ID,
  pathwayDefined,
  pathwayRetired,
  pathwayRevised,
} from '../../domain/src/pathway/testing/pathway.fixtures';
import { ISSUER_ID } from '../../domain/src/shared/testing/actors';
import { listPathways, pathwayCatalogueProjection } from './pathway-catalogue.projection';
import { expectRead, expectRows, inStream, projectionSpec, SPEC_BACKENDS } from './testing/projection-spec';

describe.each(SPEC_BACKENDS)('pathway catalogue projection specification on %s', (_name, backend) => {
  const given = projectionSpec(pathwayCatalogueProjection, backend);
  const developer = (...events: Parameters<typeof inStream>[1][]) => inStream(pathwayStream(PATHWAY_ID), ...events);
  const nested = pathwayDefined(
    { title: 'Python foundations', award: { ...definition().award, type: 'Badge' } },
    { pathwayId: NESTED_PATHWAY_ID },
  );
  const ROWS = `SELECT id, issuer_id, status, category, title,
    jsonb_path_query_array(state, '$.versions[*].version') AS versions FROM tessera_pathway_catalogue ORDER BY id`;

  it('searches by the latest version: its award type and title; a retired pathway keeps its versions', () => {
    const revised = pathwayRevised(2, {
      title: 'Python developer (2027)',
      award: { ...definition().award, type: 'Diploma' },
    });
    return given(developer(pathwayDefined()), inStream(pathwayStream(NESTED_PATHWAY_ID), nested))
      .when(developer(revised, pathwayRetired()), { batchSize: 1 })
      .then(
        expectRows(ROWS).toEqual([
          {
            id: PATHWAY_ID,
            issuer_id: ISSUER_ID,
            status: 'retired',
            category: 'Diploma',
            title: 'Python developer (2027)',
            versions: [1, 2],
          },
          {
            id: NESTED_PATHWAY_ID,
            issuer_id: ISSUER_ID,
            status: 'published',
            category: 'Badge',
            title: 'Python foundations',
            versions: [1],
          },
        ]),
        expectRead('listPathways of the issuer', (query) => listPathways(query, { issuerId: ISSUER_ID })).toEqual([
          foldPathway([pathwayDefined(), revised, pathwayRetired()]),
          foldPathway([nested]),
        ]),
      );
  });
});
