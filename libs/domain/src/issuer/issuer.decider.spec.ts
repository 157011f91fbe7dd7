import { assessor, issuerAdmin, otherIssuerAdmin } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { withoutUndefined } from '../shared/testing/without-undefined';
import { foldIssuer, issuerDecider } from './issuer.decider';
import {
  compromiseIssuerKey,
  FIRST_KEY_ID,
  REPORTED_AT,
  RESIGNED,
  SECOND_KEY_ID,
  SECOND_ROTATED_AT,
  issuerKeyRotated,
  issuerRegistered,
  publicJwk,
  registerIssuer,
  REGISTERED_AT,
  ROTATED_AT,
  rotateIssuerKey,
} from './testing/issuer.fixtures';

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

  describe('RotateIssuerKey', () => {
    const LATER = SECOND_ROTATED_AT;

    it('records the first key, signing from the command’s instant', () => {
      given(issuerRegistered()).when(rotateIssuerKey()).then([issuerKeyRotated()]);
    });

    it('names the key it replaces, and lets an issuer-admin of the issuer rotate', () => {
      given(issuerRegistered(), issuerKeyRotated())
        .when(rotateIssuerKey({ keyId: SECOND_KEY_ID, publicJwk: publicJwk('x2') }, { now: LATER, actor: issuerAdmin }))
        .then([
          issuerKeyRotated({
            keyId: SECOND_KEY_ID,
            publicJwk: publicJwk('x2'),
            rotatedAt: LATER,
            previousKeyId: FIRST_KEY_ID,
            rotatedBy: issuerAdmin.sub,
          }),
        ]);
    });

    it('records a first key made earlier from when it was made', () => {
      given(issuerRegistered())
        .when(rotateIssuerKey({ validFrom: REGISTERED_AT }))
        .then([issuerKeyRotated({ rotatedAt: REGISTERED_AT })]);
    });

    it('refuses an earlier start for any key but the first: a closed window is never reopened', () => {
      given(issuerRegistered(), issuerKeyRotated())
        .when(rotateIssuerKey({ keyId: SECOND_KEY_ID, validFrom: REGISTERED_AT }, { now: LATER }))
        .thenThrows('invalid-field');
    });

    const multikey = {
      id: 'https://tessera.example/issuers/tu-dublin#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
      publicKeyMultibase: 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
    };

    it('records the Ed25519 Multikey made beside the key, in the same event', () => {
      given(issuerRegistered())
        .when(rotateIssuerKey({ multikey }))
        .then([issuerKeyRotated({ multikey })]);
    });

    it.each([
      ['a private multibase key', { ...multikey, publicKeyMultibase: `zrv2${'a'.repeat(44)}` }],
      ['a Multikey named on another issuer', { ...multikey, id: multikey.id.replace('tu-dublin', 'ucd') }],
      ['a Multikey named by another key', { ...multikey, id: multikey.id.replace('hwi', 'hwj') }],
    ])('refuses %s', (_, bad) => {
      given(issuerRegistered())
        .when(rotateIssuerKey({ multikey: bad }))
        .thenThrows('invalid-field');
    });

    it('refuses a key id already recorded', () => {
      given(issuerRegistered(), issuerKeyRotated()).when(rotateIssuerKey()).thenThrows('duplicate-id');
    });

    it('refuses an unregistered issuer', () => {
      given().when(rotateIssuerKey()).thenThrows('unknown-issuer');
    });

    it.each([
      ['an assessor', assessor, 'role-required'],
      ['an issuer-admin of another issuer', otherIssuerAdmin, 'not-your-issuer'],
    ] as const)('refuses %s', (_, actor, code) => {
      given(issuerRegistered()).when(rotateIssuerKey({}, { actor })).thenThrows(code);
    });

    it.each([
      ['private key material', { publicJwk: { ...publicJwk(), d: 'secret' } }, 'invalid-field'],
      ['a JWK without kty', { publicJwk: { crv: 'P-256' } }, 'invalid-field'],
      ['a JWK that is not an object', { publicJwk: 'jwk' as never }, 'invalid-field'],
      ['an empty key id', { keyId: ' ' }, 'invalid-field'],
      ['a validFrom after the command', { validFrom: '2027-01-01T00:00:00Z' }, 'instant-in-future'],
    ] as const)('refuses %s', (_, data, code) => {
      given(issuerRegistered()).when(rotateIssuerKey(data)).thenThrows(code);
    });
  });

  describe('CompromiseIssuerKey', () => {
    const rotatedOut = [
      issuerRegistered(),
      issuerKeyRotated(),
      issuerKeyRotated({
        keyId: SECOND_KEY_ID,
        rotatedAt: SECOND_ROTATED_AT,
        previousKeyId: FIRST_KEY_ID,
        publicJwk: publicJwk('x2'),
      }),
    ];
    const compromised = {
      type: 'IssuerKeyCompromised' as const,
      data: {
        schemaVersion: 1 as const,
        issuerId: 'tu-dublin',
        keyId: FIRST_KEY_ID,
        since: '2026-02-15T00:00:00.000Z',
        reportedAt: REPORTED_AT,
        reportedBy: 'root',
      },
    };

    it('reports a rotated-out key and records what the current key re-signs', () => {
      given(...rotatedOut)
        .when(compromiseIssuerKey({}, { actor: issuerAdmin }))
        .then([
          { ...compromised, data: { ...compromised.data, reportedBy: issuerAdmin.sub } },
          {
            type: 'IssuerCredentialsResigned',
            data: {
              schemaVersion: 1,
              issuerId: 'tu-dublin',
              compromisedKeyId: FIRST_KEY_ID,
              keyId: SECOND_KEY_ID,
              ...RESIGNED,
              resignedAt: REPORTED_AT,
            },
          },
        ]);
    });

    it('marks the key compromised from since in the state', () => {
      const issuer = foldIssuer([...rotatedOut, compromised]);
      expect(issuer.status === 'registered' && issuer.keys.map((key) => key.compromisedSince)).toEqual([
        '2026-02-15T00:00:00.000Z',
        undefined,
      ]);
    });

    it.each([
      ['an unknown key', compromiseIssuerKey({ keyId: 'https://elsewhere#k' }), 'unknown-key'],
      ['the current key (rotate first)', compromiseIssuerKey({ keyId: SECOND_KEY_ID }), 'key-in-use'],
      ['a since before the key began signing', compromiseIssuerKey({ since: REGISTERED_AT }), 'since-before-key'],
      ['a since after the report', compromiseIssuerKey({ since: '2026-05-01T00:00:00Z' }), 'instant-in-future'],
      ['a since that is not an instant', compromiseIssuerKey({ since: 'yesterday' }), 'invalid-instant'],
      ['an assessor', compromiseIssuerKey({}, { actor: assessor }), 'role-required'],
      ['an issuer-admin of another issuer', compromiseIssuerKey({}, { actor: otherIssuerAdmin }), 'not-your-issuer'],
    ] as const)('refuses %s', (_, command, code) => {
      given(...rotatedOut)
        .when(command)
        .thenThrows(code);
    });

    it('refuses a key already reported', () => {
      given(...rotatedOut, compromised)
        .when(compromiseIssuerKey())
        .thenThrows('key-already-compromised');
    });

    it('refuses an unregistered issuer', () => {
      given().when(compromiseIssuerKey()).thenThrows('unknown-issuer');
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
        keys: [],
        recognitions: [],
      });
    });

    it('keeps every key in order, each earlier one closed when the next began', () => {
      const second = issuerKeyRotated({
        keyId: 'k2',
        rotatedAt: '2026-03-01T00:00:00.000Z',
        previousKeyId: FIRST_KEY_ID,
      });
      const third = issuerKeyRotated({ keyId: 'k3', rotatedAt: '2026-04-01T00:00:00.000Z', previousKeyId: 'k2' });
      const issuer = foldIssuer([issuerRegistered(), issuerKeyRotated(), second, third]);
      expect(issuer.status === 'registered' && issuer.keys).toEqual([
        { keyId: FIRST_KEY_ID, publicJwk: publicJwk(), validFrom: ROTATED_AT, validUntil: '2026-03-01T00:00:00.000Z' },
        {
          keyId: 'k2',
          publicJwk: publicJwk(),
          validFrom: '2026-03-01T00:00:00.000Z',
          validUntil: '2026-04-01T00:00:00.000Z',
        },
        { keyId: 'k3', publicJwk: publicJwk(), validFrom: '2026-04-01T00:00:00.000Z' },
      ]);
    });

    it('starts unregistered', () => {
      expect(foldIssuer([])).toEqual({ status: 'unregistered' });
    });
  });
});
