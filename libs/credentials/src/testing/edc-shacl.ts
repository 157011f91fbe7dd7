import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { edcDocumentLoader } from '../edc-document-loader';

const ELM = join(__dirname, '..', 'schema', 'elm');

/** What the validator found: `conforms`, and each violation as "focus node · path: message". */
export interface ShaclOutcome {
  readonly conforms: boolean;
  readonly violations: readonly string[];
}

/** The Commission's signed Annex I sample: a JAdES JSON serialisation whose payload is the credential. */
export const commissionAnnexISample = (): Record<string, unknown> =>
  JSON.parse(
    (JSON.parse(readFileSync(join(ELM, 'Sample-MC-Annex1-signed.jsonld'), 'utf8')) as { payload: string }).payload,
  );

/** The credential as N-Quads; safe mode makes a term the contexts do not define an error that names it. */
async function toNQuads(credential: unknown): Promise<string> {
  try {
    return (await jsonld.toRDF(
      credential as jsonld.JsonLdDocument,
      {
        format: 'application/n-quads',
        documentLoader: edcDocumentLoader as unknown as jsonld.Options.DocLoader['documentLoader'],
        safe: true,
      } as jsonld.Options.ToRdf,
    )) as unknown as string;
  } catch (error) {
    const event = (error as { details?: { event?: { message?: string; details?: unknown } } }).details?.event;
    throw new Error(`${(error as Error).message} ${event?.message ?? ''} ${JSON.stringify(event?.details ?? {})}`, {
      cause: error,
    });
  }
}

/**
 * Validates JSON-LD credentials against the Commission's EDC shapes (EDC-generic-no-cv.ttl) with rdf-validate-shacl:
 * each document is expanded to RDF by `jsonld` with the offline loader, in safe mode (a term the contexts do not
 * define is an error, not silently dropped), then parsed into an N3 store.
 */
export function edcShaclValidator(): (credential: unknown) => Promise<ShaclOutcome> {
  const shapes = new Store(new Parser().parse(readFileSync(join(ELM, 'EDC-generic-no-cv.ttl'), 'utf8')));
  const validator = new SHACLValidator(shapes);
  return async (credential) => {
    const nquads = await toNQuads(credential);
    const report = await validator.validate(new Store(new Parser({ format: 'N-Quads' }).parse(nquads)));
    return {
      conforms: report.conforms,
      violations: report.results.map(
        (result) =>
          `${result.focusNode?.value ?? '?'} · ${result.path?.value ?? '-'}: ${result.message.map((m) => m.value).join(' ')}`,
      ),
    };
  };
}
