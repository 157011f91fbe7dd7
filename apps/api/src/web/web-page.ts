import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';

export const WEB_NOT_BUILT = 'web page not built: run npm run build\n';

/**
 * Where `npm run build` puts the page (web/vite.config.mts): `dist/web` at the repository root, reached from this file
 * compiled (dist/apps/api/src/web) or run from source (apps/api/src/web).
 */
export function builtWebPageDir(): string {
  return resolve(__dirname, __filename.endsWith('.js') ? '../../../../web' : '../../../../dist/web');
}

/**
 * Serves the web page at `/` and its hashed bundles at `/assets/`, outside Nest's routing: no guard (the page holds no
 * data; it calls the API with the user's token) and no place in the OpenAPI document. The build is looked for on each
 * request, so the api starts (and answers a plain hint at `/`) when it has not been built.
 */
export function serveWebPage(app: NestExpressApplication, dir = builtWebPageDir()): void {
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', index: false, immutable: true, maxAge: '365d' });
  const express = app.getHttpAdapter().getInstance() as Express;
  express.get('/', (_request: Request, response: Response) => {
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      response.status(200).type('text/plain').send(WEB_NOT_BUILT);
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
