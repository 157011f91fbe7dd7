import type { Actor } from '../../shared/actor';
import { admin, ISSUER_ID } from '../../shared/testing/actors';
import type { RegisterIssuer } from '../issuer.commands';
import type { IssuerRegistered } from '../issuer.events';

export const REGISTERED_AT = '2026-01-05T08:00:00.000Z';

export const registerIssuer = (
  data: Partial<RegisterIssuer['data']> = {},
  metadata: { now?: string; actor?: Actor } = {},
): RegisterIssuer => ({
  type: 'RegisterIssuer',
  data: {
    issuerId: ISSUER_ID,
    name: 'Technological University Dublin',
    url: 'https://www.tudublin.ie',
    country: 'IE',
    qualityAssurance: 'Quality and Qualifications Ireland (QQI)',
    framework: 'NFQ',
    ...data,
  },
  metadata: { now: REGISTERED_AT, actor: admin, ...metadata },
});

export const issuerRegistered = (data: Partial<IssuerRegistered['data']> = {}): IssuerRegistered => ({
  type: 'IssuerRegistered',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    name: 'Technological University Dublin',
    url: 'https://www.tudublin.ie',
    country: 'IE',
    qualityAssurance: 'Quality and Qualifications Ireland (QQI)',
    framework: 'NFQ',
    registeredAt: REGISTERED_AT,
    registeredBy: admin.sub,
    ...data,
  },
});
