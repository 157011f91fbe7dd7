import type { OpenedEventStore } from '@app/event-store';
import type { Background } from '@app/application';
import type { LearnerChanges } from '@app/read-models';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';

/**
 * Starts hearing which learners changed (for the caches of answers) when the app starts; stops it and the inline
 * background work, then closes the stores, when the app closes (tests, SIGTERM).
 */
export class StorageLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly storage: OpenedEventStore,
    private readonly background: Background | undefined,
    private readonly changes: LearnerChanges,
  ) {}

  onApplicationBootstrap(): void {
    this.changes.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.changes.stop();
    await this.background?.stop();
    await this.storage.close();
  }
}
