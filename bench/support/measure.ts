/**
 * Measuring, shared by the benchmarks: concurrent loops until a deadline, percentiles, the host's and this thread's
 * load over a run, and a process's CPU time from /proc.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface Load {
  /** Share of the whole machine's CPU time that was busy: this process, PostgreSQL and anything else. */
  readonly hostBusy: number;
  /** Event-loop utilisation of this process's main thread: the api's thread (and the ceiling's writers). */
  readonly loopBusy: number;
  /** Milliseconds the main thread was busy. */
  readonly loopBusyMs: number;
}

let interrupted = false;

/** After SIGINT, `drive` stops its loops and throws. */
export function stopOnSigint(): void {
  process.once('SIGINT', () => {
    interrupted = true;
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function hostTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  return { idle, total };
}

/** Measures the host's and the main thread's load over `work`. */
export async function withLoad<T>(work: () => Promise<T>): Promise<T & Load> {
  const hostBefore = hostTimes();
  const loopBefore: EventLoopUtilization = performance.eventLoopUtilization();
  const result = await work();
  const loop = performance.eventLoopUtilization(loopBefore);
  const hostAfter = hostTimes();
  const hostTotal = hostAfter.total - hostBefore.total;
  return {
    ...result,
    hostBusy: hostTotal > 0 ? 1 - (hostAfter.idle - hostBefore.idle) / hostTotal : 0,
    loopBusy: loop.utilization,
    loopBusyMs: loop.active,
  };
}

/**
 * `concurrency` loops, each running its own operation (from `newLoop`) again and again until the deadline; returns
 * the latency of every completed operation. The first failure stops every loop and is thrown.
 */
export async function drive(concurrency: number, ms: number, newLoop: () => () => Promise<void>) {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + ms;
  let failed = false;
  const outcomes = await Promise.allSettled(
    Array.from({ length: concurrency }, async () => {
      const operation = newLoop();
      try {
        while (performance.now() < deadline && !interrupted && !failed) {
          const begun = performance.now();
          await operation();
          latencies.push(performance.now() - begun);
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
  if (interrupted) throw new Error('Interrupted');
  return { latencies, seconds };
}

/** User and system CPU time of a process or thread, from its /proc stat file, in ms (0 once it is gone). */
export function procCpuMs(statFile: string): number {
  try {
    // The fields after the command name's closing parenthesis: state is field 3, utime 14, stime 15.
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Runs a benchmark's `main`: exit code 0 when it answers clean, 1 on errors it reported or a failure. */
export function runBenchmark(name: string, main: () => Promise<boolean>): void {
  main().then(
    (clean) => {
      if (!clean) console.error(`\n${name}: errors (see above)`);
      process.exitCode = clean ? 0 : 1;
    },
    (error: unknown) => {
      console.error(`\n${name} failed:`, error);
      process.exitCode = 1;
    },
  );
}
