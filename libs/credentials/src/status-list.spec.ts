import { gunzipSync } from 'node:zlib';
import {
  buildStatusListCredential,
  checkCredentialStatus,
  credentialStatusEntry,
  type CredentialStatusValue,
  decodeStatusList,
  encodeStatusList,
  type JsonObject,
  MalformedStatusList,
  parseStatusEntry,
  readEntry,
  STATUS_LIST_CAPACITY,
  StatusListUnavailable,
} from './index';
import { safeModeEvents } from './testing/json-ld';

const PUBLIC_URL = 'https://credentials.example.edu';
const NOW = new Date('2026-06-01T00:00:00.000Z');

const listWith = (values: Array<[number, CredentialStatusValue]>, issuerId = 'tu-dublin') =>
  buildStatusListCredential({ publicUrl: PUBLIC_URL, issuerId, listId: '1', values: new Map(values), now: NOW });

const credentialAt = (index: number, issuerId = 'tu-dublin'): JsonObject => ({
  issuer: { id: `${PUBLIC_URL}/issuers/${issuerId}` },
  credentialStatus: credentialStatusEntry(PUBLIC_URL, { issuerId: 'tu-dublin', listId: '1', index }),
});

describe('the list credential', () => {
  it('defines every term it uses in its contexts, so that a Data Integrity proof covers all of it', async () => {
    expect(await safeModeEvents(listWith([[3, 'revoked']]))).toEqual([]);
  });
});

describe('the bitstring', () => {
  it('is a multibase base64url GZIP of at least 131,072 entries and 16 KB', () => {
    const encoded = encodeStatusList(new Map());
    expect(encoded[0]).toBe('u');
    const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bits.length).toBe((STATUS_LIST_CAPACITY * 2) / 8);
    expect(bits.length).toBeGreaterThanOrEqual(16 * 1024);
    expect(bits.every((byte) => byte === 0)).toBe(true);
  });

  it('puts each status in its own two bits, most significant bit first', () => {
    const bits = decodeStatusList(
      encodeStatusList(
        new Map<number, CredentialStatusValue>([
          [0, 'revoked'],
          [1, 'suspended'],
          [5, 'valid'],
          [STATUS_LIST_CAPACITY - 1, 'revoked'],
        ]),
      ),
    );
    expect(bits[0]).toBe(0b1001_0000); // entry 0 = 0b10 (revoked), entry 1 = 0b01 (suspended)
    expect(readEntry(bits, 0, 2)).toBe(2);
    expect(readEntry(bits, 1, 2)).toBe(1);
    expect(readEntry(bits, 2, 2)).toBe(0);
    expect(readEntry(bits, 5, 2)).toBe(0);
    expect(readEntry(bits, STATUS_LIST_CAPACITY - 1, 2)).toBe(2);
    expect(bits[bits.length - 1]).toBe(0b0000_0010);
    expect(() => readEntry(bits, STATUS_LIST_CAPACITY, 2)).toThrow(MalformedStatusList);
  });

  it('refuses an index outside the list, and an encodedList that is not multibase GZIP', () => {
    expect(() => encodeStatusList(new Map([[STATUS_LIST_CAPACITY, 'revoked']]))).toThrow(RangeError);
    expect(() => decodeStatusList('zabc')).toThrow(MalformedStatusList);
    expect(() => decodeStatusList('uAAAA')).toThrow(MalformedStatusList);
  });
});

describe('buildStatusListCredential', () => {
  it('is a BitstringStatusListCredential of the issuer, valid from now for the ttl', () => {
    expect(listWith([])).toMatchObject({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: `${PUBLIC_URL}/status-lists/tu-dublin/1`,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: `${PUBLIC_URL}/issuers/tu-dublin` },
      validFrom: '2026-06-01T00:00:00.000Z',
      validUntil: '2026-06-01T00:05:00.000Z',
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'message', encodedList: expect.any(String) },
    });
  });
});

describe('parseStatusEntry', () => {
  it('reads Tessera’s own entry', () => {
    expect(parseStatusEntry(credentialAt(7).credentialStatus)).toMatchObject({
      statusListCredential: `${PUBLIC_URL}/status-lists/tu-dublin/1`,
      statusPurpose: 'message',
      index: 7,
      statusSize: 2,
    });
  });

  it('gives a one-bit revocation entry its meaning from the purpose', () => {
    const entry = parseStatusEntry({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '3',
      statusListCredential: 'https://elsewhere.example/list',
    });
    expect([...entry.messages]).toEqual([
      [0, 'valid'],
      [1, 'revoked'],
    ]);
  });

  it.each([
    ['an array', [{}]],
    ['another type', { type: 'StatusList2021Entry' }],
    [
      'a negative index',
      {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '-1',
        statusListCredential: 'x',
      },
    ],
    [
      'a numeric index',
      { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: 3, statusListCredential: 'x' },
    ],
    [
      'a message purpose without messages',
      { type: 'BitstringStatusListEntry', statusPurpose: 'message', statusListIndex: '3', statusListCredential: 'x' },
    ],
  ])('refuses %s', (_, value) => {
    expect(() => parseStatusEntry(value)).toThrow(MalformedStatusList);
  });
});

describe('checkCredentialStatus', () => {
  const list = listWith([
    [3, 'suspended'],
    [4, 'revoked'],
  ]);
  const fetchList = async () => list;

  it('passes a credential whose entry is 0', async () => {
    expect(await checkCredentialStatus(credentialAt(2), fetchList)).toEqual({ name: 'status', ok: true });
  });

  it('fails a suspended and a revoked credential, saying so first', async () => {
    expect((await checkCredentialStatus(credentialAt(3), fetchList)).reason).toMatch(/^suspended: /);
    expect((await checkCredentialStatus(credentialAt(4), fetchList)).reason).toMatch(/^revoked: /);
  });

  it('fails, plainly, without credentialStatus, with an unusable list, or with another issuer’s list', async () => {
    expect((await checkCredentialStatus({}, fetchList)).reason).toMatch(/no credentialStatus/);
    const unavailable = async (): Promise<JsonObject> => {
      throw new StatusListUnavailable('there is no status list x');
    };
    expect((await checkCredentialStatus(credentialAt(2), unavailable)).reason).toMatch(/there is no status list/);
    expect((await checkCredentialStatus(credentialAt(2, 'other'), fetchList)).reason).toMatch(/not by the credential/);
  });
});
