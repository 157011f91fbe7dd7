import { currentToken } from './session';

/** An RFC 9457 problem answered by the API (or a failure to reach it, status 0). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors: Array<{ field?: string; message: string }> = [],
    /** The problem's `type` URI, e.g. `urn:tessera:problem:unknown-learner`. */
    readonly type?: string,
  ) {
    super(detail ?? title);
  }
}

async function request(path: string): Promise<Response> {
  const token = currentToken();
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  } catch {
    throw new ApiProblem(0, 'Cannot reach the Tessera api', 'Check that the api is running, then try again.');
  }
  if (response.ok) return response;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const problem = (await response.json()) as {
      type?: string;
      title?: string;
      detail?: string;
      errors?: ApiProblem['errors'];
    };
    throw new ApiProblem(
      response.status,
      problem.title ?? response.statusText,
      problem.detail,
      problem.errors ?? [],
      problem.type,
    );
  }
  throw new ApiProblem(response.status, response.statusText || `HTTP ${response.status}`);
}

/** GET a response of the public HTTP API with the session's bearer token, to read as it streams. */
export const getStream = (path: string): Promise<Response> => request(path);

/** GET a JSON resource of the public HTTP API with the session's bearer token. */
export async function getJson<T>(path: string): Promise<T> {
  return (await (await request(path)).json()) as T;
}

/** GET a resource as a Blob, for downloads that need the token. */
export async function getBlob(path: string): Promise<Blob> {
  return (await request(path)).blob();
}

/** A path with its query string, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export const segment = encodeURIComponent;

const sentence = (text: string): string =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** What to tell the user about a failed call. */
export function problemMessage(error: unknown): { title: string; detail?: string; items: string[] } {
  if (!(error instanceof ApiProblem))
    return { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error), items: [] };
  const items = error.errors.map((item) => (item.field ? `${item.field}: ${item.message}` : item.message));
  switch (error.status) {
    case 401:
      return {
        title: 'Your token was not accepted: paste a valid token',
        detail: `${error.detail ? `${sentence(error.detail)} ` : ''}Mint one with npx tessera token --role … and paste it below.`,
        items,
      };
    case 403:
      return { title: 'This token may not see that', detail: error.detail, items };
    case 404:
      return {
        title: error.type === 'urn:tessera:problem:unknown-learner' ? 'No such learner' : 'Not found',
        detail: error.detail,
        items,
      };
    default:
      return { title: error.title, detail: error.detail, items };
  }
}
