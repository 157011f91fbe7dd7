import type { Actor } from '../../shared/actor';
import { admin, ISSUER_ID } from '../../shared/testing/actors';
import type { CompromiseIssuerKey, RegisterIssuer, RotateIssuerKey } from '../issuer.commands';
import type {
  IssuerCredentialsResigned,
  IssuerKeyCompromised,
  IssuerKeyRotated,
  IssuerRegistered,
} from '../issuer.events';

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

export const ROTATED_AT = '2026-02-01T09:00:00.000Z';
export const FIRST_KEY_ID = `https://credentials.example.edu/issuers/${ISSUER_ID}#first`;
export const publicJwk = (x = 'x-coordinate') => ({ kty: 'EC', crv: 'P-256', x, y: 'y-coordinate' });

export const rotateIssuerKey = (
  data: Partial<RotateIssuerKey['data']> = {},
  metadata: { now?: string; actor?: Actor } = {},
): RotateIssuerKey => ({
  type: 'RotateIssuerKey',
  data: { issuerId: ISSUER_ID, keyId: FIRST_KEY_ID, publicJwk: publicJwk(), ...data },
  metadata: { now: ROTATED_AT, actor: admin, ...metadata },
});

export const issuerKeyRotated = (data: Partial<IssuerKeyRotated['data']> = {}): IssuerKeyRotated => ({
  type: 'IssuerKeyRotated',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    keyId: FIRST_KEY_ID,
    publicJwk: publicJwk(),
    rotatedAt: ROTATED_AT,
    rotatedBy: admin.sub,
    ...data,
  },
});

export const SECOND_KEY_ID = `https://credentials.example.edu/issuers/${ISSUER_ID}#second`;
export const SECOND_ROTATED_AT = '2026-03-01T12:00:00.000Z';
export const REPORTED_AT = '2026-04-01T10:00:00.000Z';
export const RESIGNED = {
  awardIds: ['award-1', 'award-2'],
  qualificationIds: ['qualification-1'],
  statusListIds: ['1'],
};

export const compromiseIssuerKey = (
  data: Partial<CompromiseIssuerKey['data']> = {},
  metadata: { now?: string; actor?: Actor } = {},
): CompromiseIssuerKey => ({
  type: 'CompromiseIssuerKey',
  data: { issuerId: ISSUER_ID, keyId: FIRST_KEY_ID, since: '2026-02-15T00:00:00.000Z', resigned: RESIGNED, ...data },
  metadata: { now: REPORTED_AT, actor: admin, ...metadata },
});

export const issuerKeyCompromised = (data: Partial<IssuerKeyCompromised['data']> = {}): IssuerKeyCompromised => ({
  type: 'IssuerKeyCompromised',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    keyId: FIRST_KEY_ID,
    since: '2026-02-15T00:00:00.000Z',
    reportedAt: REPORTED_AT,
    reportedBy: admin.sub,
    ...data,
  },
});

export const issuerCredentialsResigned = (
  data: Partial<IssuerCredentialsResigned['data']> = {},
): IssuerCredentialsResigned => ({
  type: 'IssuerCredentialsResigned',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    compromisedKeyId: FIRST_KEY_ID,
    keyId: SECOND_KEY_ID,
    ...RESIGNED,
    resignedAt: REPORTED_AT,
    ...data,
  },
});
