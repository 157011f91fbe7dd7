/**
 * What the three requests of one flow share: the per-flow context autocannon keeps for each connection,
 * and the one criterion of the benchmark's achievement. Imported by the request hooks, which autocannon's
 * worker thread loads by file path, so this file must not import the app.
 */

/** The achievement's only criterion, required; a flow's evidence covers it and its assessment meets it. */
export const CRITERION_ID = 'queries';

/** The body of every flow's evidence (SubmitEvidenceDto). */
export const EVIDENCE = {
  kind: 'accomplishment',
  criterionIds: [CRITERION_ID],
  description: 'Wrote the reporting queries for the library project',
  artifact: { url: 'https://portfolio.example.edu/bench/sql', sha256: 'a'.repeat(64) },
  observedAt: '2026-03-01T10:00:00Z',
} as const;

/** The learner id in the request paths, replaced by a fresh id at the start of every flow. */
export const LEARNER_PLACEHOLDER = ':learner';

export type FlowStep = 'evidence' | 'assessment' | 'award';

/** autocannon's context of one connection; it starts again from `initialContext` for every flow. */
export interface FlowContext {
  /** From `initialContext`: send a fresh Idempotency-Key with every command (diagnostic). */
  idempotencyKeys?: boolean;
  learnerId?: string;
  /** The request in flight, so the response hook knows what it answers. */
  step?: FlowStep;
  /** From the evidence's 201 answer; the assessment cites it. */
  evidenceId?: string;
  /** Set when the assessment answered 201 with outcome "passed"; the award needs it. */
  passed?: boolean;
}

/** The step a request path belongs to. */
export function stepOf(path: string | undefined): FlowStep {
  if (path?.endsWith('/evidence')) return 'evidence';
  if (path?.endsWith('/assessments')) return 'assessment';
  if (path?.endsWith('/award')) return 'award';
  throw new Error(`Not a flow request: ${path}`);
}
