import type { OpenedEventStore } from '@app/event-store';
import type { Background } from '@app/application';
import type { BeforeApplicationShutdown } from '@nestjs/common';

/** Stops the inline background work, then closes the stores, when the app closes (tests, SIGTERM). */
export class StorageLifecycle implements BeforeApplicationShutdown {
  constructor(
    private readonly storage: OpenedEventStore,
    private readonly background: Background | undefined,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.background?.stop();
    await this.storage.close();
  }
}
