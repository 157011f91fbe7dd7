/** The bearer token the user pasted (or passed as `#token=`), kept for this browser tab only. */

const KEY = 'tessera.token';

export interface Claims {
  sub?: string;
  roles: string[];
  issuers: string[];
  learner?: string;
  exp?: number;
}

export function currentToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function rememberToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

/**
 * The token's claims, read without verifying (the API verifies; the page only uses them to pick a view), or
 * undefined when it is not a JWT.
 */
export function claimsOf(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
    const claims = JSON.parse(json) as Partial<Claims>;
    return {
      ...claims,
      roles: Array.isArray(claims.roles) ? claims.roles : [],
      issuers: Array.isArray(claims.issuers) ? claims.issuers : [],
    };
  } catch {
    return undefined;
  }
}
