import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export const RESULTS_DIR = join(__dirname, '..', 'results');

/** Responses counted by status class, e.g. { '2xx': 180, '4xx': 20 }. */
export class StatusTally {
  readonly byClass: Record<string, number> = {};
  readonly byStatus: Record<string, number> = {};
  requests = 0;

  add(status: number): void {
    this.requests++;
    const statusClass = status === 0 ? 'no response' : `${Math.floor(status / 100)}xx`;
    this.byClass[statusClass] = (this.byClass[statusClass] ?? 0) + 1;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  count(statusClass: string): number {
    return this.byClass[statusClass] ?? 0;
  }
}

/** Prints a scenario's figures and keeps them as test/reliability/results/<scenario>.json for docs/RELIABILITY.md. */
export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  const record = {
    scenario,
    at: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
    ...figures,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${scenario}.json`), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`\n[reliability] ${scenario}: ${JSON.stringify(figures)}\n`);
}
