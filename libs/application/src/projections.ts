import type { OpenedEventStore } from '@app/event-store';
import { PROJECTIONS, type Subscriber } from '@app/read-models';
import { conferralProcessManager, type OnRefused } from './conferral.process-manager';
import { StreamCommands } from './stream-commands';

/** Everything the runner keeps going: the read models, and the reactors that append. */
export function subscribersFor(
  { store, sql }: Pick<OpenedEventStore, 'store' | 'sql'>,
  onRefused?: OnRefused,
): Subscriber[] {
  return [...PROJECTIONS, conferralProcessManager(new StreamCommands(store), { store, query: sql.query }, onRefused)];
}
