/**
 * autocannon `onResponse` hook for the evidence and the assessment of a flow, loaded by file path in autocannon's
 * worker thread (hence `export =`, and no import of the app): it carries what the next step needs in the
 * connection's context.
 */
import type { FlowContext } from './flow';

function onFlowResponse(status: number, body: string, context: object): void {
  const flow = context as FlowContext;
  if (status < 200 || status >= 300) return;
  try {
    const answer = JSON.parse(body) as { evidenceId?: unknown; outcome?: unknown };
    if (flow.step === 'evidence' && typeof answer.evidenceId === 'string') flow.evidenceId = answer.evidenceId;
    if (flow.step === 'assessment') flow.passed = answer.outcome === 'passed';
  } catch {
    // Not JSON: the next step is abandoned (setupRequest finds nothing to carry on with).
  }
}

export = onFlowResponse;
