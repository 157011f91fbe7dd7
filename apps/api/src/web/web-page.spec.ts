import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { serveWebPage, WEB_NOT_BUILT } from './web-page';

@Module({})
class NoRoutes {}

async function appServing(dir: string): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(NoRoutes, { logger: false });
  serveWebPage(app, dir);
  await app.init();
  return app;
}

describe('serveWebPage', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-web-page-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers a plain hint at / when the page has not been built, and serves it once it has', async () => {
    const app = await appServing(dir);
    try {
      const unbuilt = await request(app.getHttpServer()).get('/').expect(200);
      expect(unbuilt.type).toBe('text/plain');
      expect(unbuilt.text).toBe(WEB_NOT_BUILT);

      await mkdir(join(dir, 'assets'));
      await writeFile(
        join(dir, 'index.html'),
        '<!doctype html><script type="module" src="/assets/main-1.js"></script>',
      );
      await writeFile(join(dir, 'assets/main-1.js'), 'export {};');
      const page = await request(app.getHttpServer()).get('/').expect(200);
      expect(page.type).toBe('text/html');
      expect(page.text).toContain('/assets/main-1.js');
      expect(page.headers['cache-control']).toBe('no-cache');
      const script = await request(app.getHttpServer()).get('/assets/main-1.js').expect(200);
      expect(script.headers['cache-control']).toContain('immutable');
      // Only / and /assets/ are the page's: other paths are left to the api.
      await request(app.getHttpServer()).get('/index.html').expect(404);
      await request(app.getHttpServer()).get('/assets/missing.js').expect(404);
    } finally {
      await app.close();
    }
  });
});
