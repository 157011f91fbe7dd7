import jsonld from 'jsonld';
import { offlineDocumentLoader } from '../data-integrity';

/**
 * What a JSON-LD processor would drop or refuse in safe mode (the mode every Data Integrity signer and verifier uses):
 * each event as `code: details`. Empty when every term of the document is defined by its contexts.
 */
export async function safeModeEvents(document: object): Promise<string[]> {
  const events: string[] = [];
  // @types/jsonld knows neither `eventHandler` nor a loader answering `contextUrl: null`, both of jsonld 9.
  const options = {
    documentLoader: offlineDocumentLoader(),
    eventHandler: ({ event }: { event: { code: string; details: object } }) =>
      events.push(`${event.code}: ${JSON.stringify(event.details)}`),
  };
  await jsonld.expand(document as jsonld.JsonLdDocument, options as unknown as jsonld.Options.Expand);
  return events;
}
