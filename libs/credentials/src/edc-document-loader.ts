import { contexts as vcContexts } from '@digitalbazaar/credentials-context';
import edcContext from './schema/elm/edc-ap-context.json';
import { EDC_CONTEXT } from './edc-credential';

/** A JSON-LD document loader's answer (the shape `jsonld` expects). */
export interface LoadedDocument {
  readonly contextUrl: null;
  readonly documentUrl: string;
  readonly document: unknown;
}

const [VC_V1_URL, EDC_CONTEXT_URL] = EDC_CONTEXT;

const OFFLINE: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  [VC_V1_URL, vcContexts.get(VC_V1_URL)],
  [EDC_CONTEXT_URL, edcContext],
]);

/**
 * Resolves the contexts an EDC names from bundled copies and never fetches: the VC 1.1 context from
 * `@digitalbazaar/credentials-context`, the EDC application profile context from schema/elm/ (the Commission's copy).
 */
export async function edcDocumentLoader(url: string): Promise<LoadedDocument> {
  const document = OFFLINE.get(url);
  if (document === undefined) throw new Error(`no offline copy of the JSON-LD document ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}
