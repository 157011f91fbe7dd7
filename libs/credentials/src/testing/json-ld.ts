import { expand } from 'jsonld';
import { offlineDocumentLoader } from '../data-integrity';

/**
 * What a JSON-LD processor would drop or refuse in safe mode (the mode every Data Integrity signer and verifier uses):
 * each event as `code: details`. Empty when every term of the document is defined by its contexts.
 */
export async function safeModeEvents(document: object): Promise<string[]> {
  const events: string[] = [];
  await expand(document, {
    documentLoader: offlineDocumentLoader(),
    eventHandler: ({ event }) => events.push(`${event.code}: ${JSON.stringify(event.details)}`),
  });
  return events;
}
