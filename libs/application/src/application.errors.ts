/** A stream kept changing while a command was decided: retried, then given up. */
export class ConcurrencyConflict extends Error {
  readonly code = 'concurrency-conflict';
  constructor(
    readonly stream: string,
    readonly attempts: number,
  ) {
    super(`${stream} kept changing while this command was decided (${attempts} attempts); try again`);
  }
}

/** An Idempotency-Key already names another request of the same caller: nothing was decided or written. */
export class IdempotencyKeyReused extends Error {
  readonly code = 'idempotency-key-reused';
  constructor() {
    super('this Idempotency-Key was already used for a different request');
  }
}
