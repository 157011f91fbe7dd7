/**
 * autocannon `setupRequest` hook of the xAPI benchmark, loaded by file path in autocannon's worker thread (hence
 * `export =`, and no import of the app): a new statement for every request, one in `unmatchedEvery` matching nothing.
 */
import type { Request } from 'autocannon';
import { benchStatement, type StatementContext } from './statements';

/** Requests set up by this thread (autocannon starts a connection's context afresh for every request). */
let sent = 0;

function setupStatementRequest(request: Request, context: object): Request {
  const state = context as StatementContext;
  sent++;
  const matched = state.unmatchedEvery <= 0 || sent % state.unmatchedEvery !== 0;
  return { ...request, body: JSON.stringify(benchStatement(state.learners, matched)) };
}

export = setupStatementRequest;
