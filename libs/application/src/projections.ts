import type { EventStore } from '@app/event-store';
import { PROJECTIONS, type Projection } from '@app/read-models';
import { conferralProcessManager } from './conferral.process-manager';
import { StreamCommands } from './stream-commands';

/** Everything the projection runner keeps going: the read models, and the process managers that append. */
export function projectionsFor(store: EventStore, log?: (message: string) => void): Projection[] {
  return [
    ...PROJECTIONS,
    conferralProcessManager(new StreamCommands(store), store, (learnerId, pathwayId, error) =>
      log?.(`conferral of ${pathwayId} on ${learnerId} refused: ${error.code} — ${error.detail}`),
    ),
  ];
}
