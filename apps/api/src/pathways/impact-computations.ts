import { HttpException, HttpStatus } from '@nestjs/common';

/** Seconds a caller refused for a busy impact computation is told to wait: one dry-run page takes well under that. */
export const IMPACT_RETRY_AFTER_SECONDS = 1;

/** 429 `impact-busy`: every impact computation slot of this process is taken. */
export class ImpactBusy extends HttpException {
  constructor(limit: number) {
    super(
      {
        type: 'urn:tessera:problem:impact-busy',
        title: 'Too many requests',
        message: `${limit} impact computations are running already; retry after ${IMPACT_RETRY_AFTER_SECONDS} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Bounds the impact dry runs one process computes at once (`TESSERA_IMPACT_CONCURRENCY`). One over the bound is
 * refused at once rather than queued, so a burst of them cannot pile up work and slow every other route.
 */
export class ImpactComputations {
  private running = 0;

  constructor(readonly limit: number) {}

  async run<T>(compute: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) throw new ImpactBusy(this.limit);
    this.running += 1;
    try {
      return await compute();
    } finally {
      this.running -= 1;
    }
  }
}
