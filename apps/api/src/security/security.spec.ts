import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { applySecurityHeaders } from './security';

@Module({})
class NoRoutes {}

async function policyServed(publicUrl: string): Promise<string> {
  const app = await NestFactory.create(NoRoutes, { logger: false });
  applySecurityHeaders(app, publicUrl);
  await app.init();
  try {
    const response = await request(app.getHttpServer()).get('/');
    return String(response.headers['content-security-policy']);
  } finally {
    await app.close();
  }
}

describe('security headers', () => {
  it('asks browsers to upgrade insecure requests only when the service is published over https', async () => {
    const overHttps = await policyServed('https://credentials.example.edu');
    expect(overHttps).toMatch(/(^|;)upgrade-insecure-requests(;|$)/);
    expect(overHttps).toMatch(/script-src 'self'/);
    const overHttp = await policyServed('http://tessera.campus.internal:3000');
    expect(overHttp).not.toMatch(/upgrade-insecure-requests/);
    expect(overHttp).toMatch(/script-src 'self'/);
  });
});
