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
