import { issuerAdmin } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { withoutUndefined } from '../shared/testing/without-undefined';
import { foldIssuer, issuerDecider } from './issuer.decider';
import { issuerRegistered, registerIssuer } from './testing/issuer.fixtures';

const given = specFor(issuerDecider);

describe('issuer decider', () => {
  describe('RegisterIssuer', () => {
    it('registers a new issuer', () => {
      given().when(registerIssuer()).then([issuerRegistered()]);
    });

    it('leaves the framework out when none is given', () => {
      const data = withoutUndefined({ ...registerIssuer().data, framework: undefined });
      const expected = withoutUndefined({ ...issuerRegistered().data, framework: undefined });
      given()
        .when({ ...registerIssuer(), data })
        .then([{ type: 'IssuerRegistered', data: expected }]);
    });

    it('trims text, upper-cases the country and keeps instants canonical', () => {
      given()
        .when(
          registerIssuer(
            { name: '  Technological University Dublin ', country: 'ie' },
            { now: '2026-01-05T09:00+01:00' },
          ),
        )
        .then([issuerRegistered()]);
    });

    it('refuses to register an issuer twice', () => {
      given(issuerRegistered()).when(registerIssuer()).thenThrows('issuer-already-registered');
    });

    it('needs the admin role', () => {
      given()
        .when(registerIssuer({}, { actor: issuerAdmin }))
        .thenThrows('role-required');
    });

    it.each([
      ['an id that is not a slug', { issuerId: 'TU_Dublin' }, 'invalid-id'],
      ['an id with a tilde', { issuerId: 'tu~dublin' }, 'invalid-id'],
      ['an empty name', { name: '  ' }, 'invalid-field'],
      ['a url that is not http(s)', { url: 'ftp://tudublin.ie' }, 'invalid-url'],
      ['a country that is not ISO 3166-1 alpha-2', { country: 'IRL' }, 'invalid-country'],
      ['an unassigned country code', { country: 'QQ' }, 'invalid-country'],
      ['no quality assurance', { qualityAssurance: '' }, 'invalid-field'],
      ['a malformed framework', { framework: 'N F Q' }, 'invalid-field'],
    ] as const)('refuses %s', (_, data, code) => {
      given().when(registerIssuer(data)).thenThrows(code);
    });

    it('refuses a now that is not an instant', () => {
      given()
        .when(registerIssuer({}, { now: '2026-01-05' }))
        .thenThrows('invalid-instant');
    });

    it('lists every problem, the first giving the code', () => {
      const error = given()
        .when(registerIssuer({ url: 'nope', country: 'XX' }))
        .thenThrows('invalid-url');
      expect(error.issues.map((issue) => [issue.path, issue.code])).toEqual([
        ['url', 'invalid-url'],
        ['country', 'invalid-country'],
      ]);
    });
  });

  describe('evolve', () => {
    it('folds the registration', () => {
      expect(foldIssuer([issuerRegistered()])).toEqual({
        status: 'registered',
        issuerId: 'tu-dublin',
        name: 'Technological University Dublin',
        url: 'https://www.tudublin.ie',
        country: 'IE',
        qualityAssurance: 'Quality and Qualifications Ireland (QQI)',
        framework: 'NFQ',
        keyIds: [],
      });
    });

    it('keeps rotated key ids in order (IssuerKeyRotated is reserved; only evolve knows it)', () => {
      const rotated = (keyId: string) => ({
        type: 'IssuerKeyRotated' as const,
        data: { schemaVersion: 1 as const, issuerId: 'tu-dublin', keyId, rotatedAt: '2026-02-01T00:00:00.000Z' },
      });
      expect(foldIssuer([issuerRegistered(), rotated('k1'), rotated('k2')])).toMatchObject({ keyIds: ['k1', 'k2'] });
    });

    it('starts unregistered', () => {
      expect(foldIssuer([])).toEqual({ status: 'unregistered' });
    });
  });
});
