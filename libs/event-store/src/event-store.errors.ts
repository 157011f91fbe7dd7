import type { ExpectedRevision, StreamRevision } from './event-store.port';

/** The base of every error the store raises; `code` is stable and safe to show. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedVersion extends EventStoreError {
  readonly code = 'wrong-expected-version';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream'. */
    readonly actual: StreamRevision | 'no_stream',
  ) {
    super(`Stream ${stream} was expected at ${String(expected)} but is at ${String(actual)}`);
  }
}

export class StreamNotFound extends EventStoreError {
  readonly code = 'stream-not-found';
  constructor(readonly stream: string) {
    super(`Stream ${stream} does not exist`);
  }
}

/** Bad input to the store: nothing was written. */
export class InvalidEvent extends EventStoreError {
  readonly code = 'invalid-event';
  constructor(detail: string) {
    super(detail);
  }
}

/** The store could not be reached or failed mid-operation; nothing was written unless the retry says so. */
export class StoreUnavailable extends EventStoreError {
  readonly code = 'store-unavailable';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
  }
}

/** An append claimed an id (see NewEvent.claims) that another stream holds: nothing was written. */
export class IdClaimedByAnotherStream extends EventStoreError {
  readonly code = 'id-claimed-by-another-stream';
  constructor(
    readonly id: string,
    readonly stream: string,
  ) {
    super(`The id ${id} is held by another stream than ${stream}`);
  }
}

/** An append carried a CommandKey that another request (another fingerprint) holds: nothing was written. */
export class CommandKeyTaken extends EventStoreError {
  readonly code = 'command-key-taken';
  constructor(
    readonly subject: string,
    readonly key: string,
  ) {
    super(`The key ${key} of ${subject} is held by another request`);
  }
}
