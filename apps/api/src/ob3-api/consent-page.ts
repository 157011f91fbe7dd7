import { SCOPE_DESCRIPTIONS } from './ob3-scopes';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The authorization request the consent form carries back, as the wallet sent it. */
export interface AuthorizationRequest {
  readonly response_type: string;
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly scope: string;
  readonly state?: string;
  readonly code_challenge: string;
  readonly code_challenge_method: string;
}

/**
 * The consent page of a learner's wallet: the learner signs in with the bearer token they use on Tessera's web page
 * and approves (or denies) the client and the scopes it asks for. Plain HTML, no script, no inline style.
 */
export function consentPage(clientName: string, request: AuthorizationRequest, problem?: string): string {
  const hidden = Object.entries(request)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(String(value))}">`)
    .join('\n      ');
  const scopes = request.scope
    .split(' ')
    .filter(Boolean)
    .map((scope) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[scope] ?? scope)} <code>${escapeHtml(scope)}</code></li>`)
    .join('\n        ');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Tessera: allow ${escapeHtml(clientName)}?</title></head>
  <body>
    <h1>Allow ${escapeHtml(clientName)} to reach your Tessera record?</h1>
    ${problem === undefined ? '' : `<p role="alert">${escapeHtml(problem)}</p>`}
    <form method="post" action="authorize">
      ${hidden}
      <p>${escapeHtml(clientName)} asks to:</p>
      <ul>
        ${scopes}
      </ul>
      <p>It will be sent back to <code>${escapeHtml(request.redirect_uri)}</code>.</p>
      <label>Your Tessera token <input type="password" name="token" autocomplete="off" required></label>
      <button type="submit" name="allowed" value="true">Allow</button>
      <button type="submit" name="allowed" value="false">Deny</button>
    </form>
  </body>
</html>
`;
}
