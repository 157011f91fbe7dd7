import type { INestApplication } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import helmet from 'helmet';

/**
 * helmet's defaults on every response, its Content-Security-Policy included: the web page and Swagger UI at /docs
 * load only same-origin script files, and the inline `<style>` Swagger UI carries is allowed by the default
 * `style-src 'self' https: 'unsafe-inline'`, so no route needs a looser policy. One change: `upgrade-insecure-requests`
 * only when the service is published over https — served over plain http on a host other than localhost, it would
 * send the browser to fetch the page's own files over an https that is not there.
 */
export function applySecurityHeaders(app: INestApplication, publicUrl: string): void {
  app.use(securityHeaders(publicUrl));
}

/** The middleware that sets those headers (`(request, response, next)` on Node's own request and response). */
export function securityHeaders(publicUrl: string): ReturnType<typeof helmet> {
  const overHttps = new URL(publicUrl).protocol === 'https:';
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: overHttps ? [] : null } } });
}

/** One budget of `perMinute` requests per caller and minute (see RateLimitGuard for who a caller is). */
export const rateLimiting = (perMinute: number) =>
  ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: perMinute }] });
