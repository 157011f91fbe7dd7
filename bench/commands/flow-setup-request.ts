/**
 * autocannon `setupRequest` hook for the three requests of a flow (evidence → assessment → award), loaded by
 * file path in autocannon's worker thread (hence `export =`, and no import of the app).
 *
 * The evidence starts a flow on a fresh learner id, so every flow writes a new record stream. The assessment
 * cites the evidenceId of the evidence's answer; the award follows a passing assessment. When the step before
 * did not succeed, returning undefined makes autocannon abandon the flow (a "reset") and start a new one, so one
 * failure is reported once and not again as a 422 of the steps after it.
 */
import { randomUUID } from 'node:crypto';
import type { Request } from 'autocannon';
import { CRITERION_ID, EVIDENCE, type FlowContext, LEARNER_PLACEHOLDER, stepOf } from './flow';

function setupFlowRequest(request: Request, context: object): Request | undefined {
  const flow = context as FlowContext;
  const step = stepOf(request.path);
  let body: string | undefined;
  if (step === 'evidence') {
    flow.learnerId = randomUUID();
    body = JSON.stringify(EVIDENCE);
  } else if (step === 'assessment') {
    if (!flow.evidenceId) return undefined;
    body = JSON.stringify({ evidenceIds: [flow.evidenceId], results: [{ criterionId: CRITERION_ID, met: true }] });
  } else if (!flow.passed) return undefined;
  flow.step = step;
  const headers = { ...request.headers };
  if (flow.idempotencyKeys) headers['idempotency-key'] = randomUUID();
  return {
    ...request,
    path: request.path?.replace(LEARNER_PLACEHOLDER, flow.learnerId ?? ''),
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

export = setupFlowRequest;
