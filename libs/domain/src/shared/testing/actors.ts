import type { Actor } from '../actor';

/** Actors the specs use: each issuer-bound one acts for the issuer `tu-dublin`. */
export const ISSUER_ID = 'tu-dublin';
export const OTHER_ISSUER_ID = 'uni-porto';

export const admin: Actor = { sub: 'admin-1', roles: ['admin'], issuers: [] };
export const issuerAdmin: Actor = { sub: 'issuer-admin-1', roles: ['issuer-admin'], issuers: [ISSUER_ID] };
export const assessor: Actor = { sub: 'assessor-1', roles: ['assessor'], issuers: [ISSUER_ID] };
export const registrar: Actor = { sub: 'registrar-1', roles: ['registrar'], issuers: [ISSUER_ID] };
export const otherAssessor: Actor = { sub: 'assessor-9', roles: ['assessor'], issuers: [OTHER_ISSUER_ID] };
export const otherIssuerAdmin: Actor = { sub: 'issuer-admin-9', roles: ['issuer-admin'], issuers: [OTHER_ISSUER_ID] };
export const learner: Actor = { sub: 'learner-1', roles: ['learner'], issuers: [] };
