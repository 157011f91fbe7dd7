import type { AddressInfo } from 'node:net';
import {
  keyedCommandId,
  requestFingerprint,
  requestText,
} from '../../../apps/api/src/idempotency/idempotency.interceptor';
import type { ApiHarness } from '../../support/api-harness';

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
  readonly headers: Headers;
}

/** The harness's api listening on a loopback port, for clients that open real connections. */
export async function listening(api: ApiHarness): Promise<string> {
  await api.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly key?: string;
  readonly signal?: AbortSignal;
}

/** One HTTP request over a real connection; status 0 when no answer came (refused, reset, aborted). */
export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.key) headers['idempotency-key'] = options.key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    return { status: response.status, body, text, headers: response.headers };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { status: 0, body: { error: String(error) }, text: '', headers: new Headers() };
  }
}

/** The command id the api gives a POST of this body under this caller's Idempotency-Key. */
export const postCommandId = (subject: string, key: string, path: string, body: unknown): string =>
  keyedCommandId(subject, key, requestFingerprint(requestText('POST', path, body)));
