import type { OpenedEventStore } from '@app/event-store';
import type { ProjectionRunner } from '@app/read-models';
import type { BeforeApplicationShutdown } from '@nestjs/common';

/** Stops inline projections, then closes the stores, when the app closes (tests, SIGTERM). */
export class StorageLifecycle implements BeforeApplicationShutdown {
  constructor(
    private readonly storage: OpenedEventStore,
    private readonly runner: ProjectionRunner | undefined,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
    await this.storage.close();
  }
}
