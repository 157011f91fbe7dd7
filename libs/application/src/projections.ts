import type { EventStore } from '@app/event-store';
import { PROJECTIONS, type Projection } from '@app/read-models';
import { conferralProcessManager, type OnRefused } from './conferral.process-manager';
import { StreamCommands } from './stream-commands';

/** Everything the projection runner keeps going: the read models, and the process managers that append. */
export function projectionsFor(store: EventStore, onRefused?: OnRefused): Projection[] {
  return [...PROJECTIONS, conferralProcessManager(new StreamCommands(store), store, onRefused)];
}
