import { gunzipSync, gzipSync } from 'node:zlib';
import { issuerProfileId, type JsonObject, OB3_CONTEXT } from './achievement-credential';
import { type Check, issuerIdOf } from './vc-jwt';

/**
 * W3C Bitstring Status List v1.0, with one 2-bit entry per credential (`statusPurpose: "message"`), so that the one
 * `credentialStatus` object OB 3.0 allows says both whether a credential is suspended and whether it is revoked.
 */
export const STATUS_PURPOSE = 'message';
/** Bits per entry: 0x0 valid, 0x1 suspended, 0x2 revoked (0x3 is never written; its high bit reads as revoked). */
export const STATUS_SIZE = 2;
/** Entries per list: the spec's minimum (131,072), which at 2 bits each is a 32 KB bitstring. */
export const STATUS_LIST_CAPACITY = 131_072;
/** How long a fetched list may be relied on (ms): the list credential's `ttl`, and its `validUntil` after signing. */
export const STATUS_LIST_TTL_MS = 5 * 60 * 1000;

export type CredentialStatusValue = 'valid' | 'suspended' | 'revoked';

const STATUS_VALUES: Readonly<Record<CredentialStatusValue, number>> = { valid: 0, suspended: 1, revoked: 2 };

/** The entry's `statusMessage`: what each value means, for verifiers that know nothing of Tessera. */
export const STATUS_MESSAGES = [
  { status: '0x0', message: 'valid' },
  { status: '0x1', message: 'suspended' },
  { status: '0x2', message: 'revoked' },
  { status: '0x3', message: 'revoked' },
] as const;

export const statusListUrl = (publicUrl: string, issuerId: string, listId: string) =>
  `${publicUrl}/status-lists/${encodeURIComponent(issuerId)}/${encodeURIComponent(listId)}`;

/** Where one credential's status sits: a list of its issuer, and its own index there. */
export interface StatusEntryLocation {
  readonly issuerId: string;
  readonly listId: string;
  readonly index: number;
}

/** A credential's `credentialStatus`: a BitstringStatusListEntry pointing at its 2-bit entry. */
export function credentialStatusEntry(publicUrl: string, location: StatusEntryLocation): JsonObject {
  const list = statusListUrl(publicUrl, location.issuerId, location.listId);
  return {
    id: `${list}#${location.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: STATUS_PURPOSE,
    statusListIndex: String(location.index),
    statusListCredential: list,
    statusSize: STATUS_SIZE,
    statusMessage: STATUS_MESSAGES.map((message) => ({ ...message })),
  };
}

/** Thrown for a bitstring or entry that does not decode: the status is then unknown, never "valid". */
export class MalformedStatusList extends Error {}

/** The `encodedList` of a list whose entries hold these values (entries not given are valid): multibase base64url of the GZIP'd bitstring. */
export function encodeStatusList(values: ReadonlyMap<number, CredentialStatusValue>): string {
  const bits = Buffer.alloc((STATUS_LIST_CAPACITY * STATUS_SIZE) / 8);
  for (const [index, status] of values) {
    if (!Number.isInteger(index) || index < 0 || index >= STATUS_LIST_CAPACITY)
      throw new RangeError(`status list index ${index} is outside 0..${STATUS_LIST_CAPACITY - 1}`);
    writeEntry(bits, index, STATUS_SIZE, STATUS_VALUES[status]);
  }
  return `u${gzipSync(bits).toString('base64url')}`;
}

/** The uncompressed bitstring of an `encodedList`. */
export function decodeStatusList(encodedList: string): Buffer {
  if (!encodedList.startsWith('u')) throw new MalformedStatusList('encodedList is not multibase base64url ("u…")');
  try {
    return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  } catch {
    throw new MalformedStatusList('encodedList does not GZIP-decompress');
  }
}

/** The value of entry `index` of `statusSize` bits; bit 0 is the most significant bit of the first byte. */
export function readEntry(bits: Buffer, index: number, statusSize: number): number {
  if ((index + 1) * statusSize > bits.length * 8)
    throw new MalformedStatusList(`index ${index} lies beyond the list's ${(bits.length * 8) / statusSize} entries`);
  let value = 0;
  for (let bit = index * statusSize; bit < (index + 1) * statusSize; bit++)
    value = (value << 1) | ((bits[bit >> 3] >> (7 - (bit & 7))) & 1);
  return value;
}

function writeEntry(bits: Buffer, index: number, statusSize: number, value: number): void {
  for (let offset = 0; offset < statusSize; offset++) {
    const bit = index * statusSize + offset;
    if ((value >> (statusSize - 1 - offset)) & 1) bits[bit >> 3] |= 1 << (7 - (bit & 7));
  }
}

export interface StatusListInput {
  readonly publicUrl: string;
  readonly issuerId: string;
  readonly listId: string;
  readonly values: ReadonlyMap<number, CredentialStatusValue>;
  readonly now: Date;
}

/** The BitstringStatusListCredential (unsigned: the VC-JWT wraps it), valid from now for the ttl. */
export function buildStatusListCredential(input: StatusListInput): JsonObject {
  const id = statusListUrl(input.publicUrl, input.issuerId, input.listId);
  return {
    // VC 2.0 defines the Bitstring Status List terms; OB 3.0 the issuer's `Profile` type (JSON-LD safe mode needs both).
    '@context': [...OB3_CONTEXT],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: issuerProfileId(input.publicUrl, input.issuerId), type: ['Profile'] },
    validFrom: input.now.toISOString(),
    validUntil: new Date(input.now.getTime() + STATUS_LIST_TTL_MS).toISOString(),
    credentialSubject: {
      id: `${id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: STATUS_PURPOSE,
      encodedList: encodeStatusList(input.values),
      ttl: STATUS_LIST_TTL_MS,
    },
  };
}

/** A credential's `credentialStatus`, read as a BitstringStatusListEntry. */
export interface ParsedStatusEntry {
  readonly statusListCredential: string;
  readonly statusPurpose: string;
  readonly index: number;
  readonly statusSize: number;
  /** Value → message, from `statusMessage` (or, for a 1-bit revocation or suspension entry, from its purpose). */
  readonly messages: ReadonlyMap<number, string>;
}

const SINGLE_PURPOSE_MESSAGES: Readonly<Record<string, string>> = { revocation: 'revoked', suspension: 'suspended' };

export function parseStatusEntry(value: unknown): ParsedStatusEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MalformedStatusList('credentialStatus is not one object');
  const entry = value as JsonObject;
  if (entry.type !== 'BitstringStatusListEntry')
    throw new MalformedStatusList(`credentialStatus type ${String(entry.type)} is not BitstringStatusListEntry`);
  const { statusListCredential, statusPurpose, statusListIndex } = entry;
  if (typeof statusListCredential !== 'string' || typeof statusPurpose !== 'string')
    throw new MalformedStatusList('credentialStatus lacks statusListCredential or statusPurpose');
  if (typeof statusListIndex !== 'string' || !/^(0|[1-9]\d{0,9})$/.test(statusListIndex))
    throw new MalformedStatusList('credentialStatus.statusListIndex is not a non-negative integer string');
  const statusSize = entry.statusSize ?? 1;
  if (typeof statusSize !== 'number' || !Number.isInteger(statusSize) || statusSize < 1 || statusSize > 8)
    throw new MalformedStatusList('credentialStatus.statusSize is not an integer from 1 to 8');
  const messages = new Map<number, string>();
  if (Array.isArray(entry.statusMessage))
    for (const item of entry.statusMessage as JsonObject[])
      if (typeof item?.status === 'string' && typeof item.message === 'string' && /^0x[0-9a-f]+$/i.test(item.status))
        messages.set(Number.parseInt(item.status.slice(2), 16), item.message);
  const single = SINGLE_PURPOSE_MESSAGES[statusPurpose];
  if (messages.size === 0 && statusSize === 1 && single !== undefined) messages.set(0, 'valid').set(1, single);
  if (messages.size === 0)
    throw new MalformedStatusList(`credentialStatus (purpose ${statusPurpose}) says nothing of what its values mean`);
  return { statusListCredential, statusPurpose, index: Number(statusListIndex), statusSize, messages };
}

/** The entry's value in a (verified) status list credential, and what it means. */
export function statusInList(entry: ParsedStatusEntry, list: JsonObject): { value: number; message: string } {
  const subject = list.credentialSubject as JsonObject | undefined;
  if (subject?.type !== 'BitstringStatusList' || typeof subject.encodedList !== 'string')
    throw new MalformedStatusList('the status list credential holds no BitstringStatusList');
  const purposes = Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose];
  if (!purposes.includes(entry.statusPurpose))
    throw new MalformedStatusList(`the status list is not for the purpose ${entry.statusPurpose}`);
  const value = readEntry(decodeStatusList(subject.encodedList), entry.index, entry.statusSize);
  const message = entry.messages.get(value);
  if (message === undefined) throw new MalformedStatusList(`status value 0x${value.toString(16)} has no message`);
  return { value, message };
}

/** Why a status list could not be had or trusted (unknown list, failed signature, another issuer's list…). */
export class StatusListUnavailable extends Error {}

/**
 * The `status` check as an outside verifier runs it: read the credential's `credentialStatus`, fetch the list it names
 * (`fetchList` answers the list credential only once its signature and issuer have been checked), decode the bits at
 * the credential's index. Fails plainly: "revoked", "suspended", no credentialStatus, an unknown or untrusted list.
 */
export async function checkCredentialStatus(
  credential: JsonObject | undefined,
  fetchList: (url: string) => Promise<JsonObject>,
): Promise<Check> {
  const fail = (reason: string): Check => ({ name: 'status', ok: false, reason });
  if (credential?.credentialStatus === undefined)
    return fail('the credential carries no credentialStatus, so whether it was revoked or suspended cannot be told');
  try {
    const entry = parseStatusEntry(credential.credentialStatus);
    const list = await fetchList(entry.statusListCredential);
    if (issuerIdOf(list) !== issuerIdOf(credential))
      return fail(`the status list is issued by ${String(issuerIdOf(list))}, not by the credential's issuer`);
    const { value, message } = statusInList(entry, list);
    if (value === 0) return { name: 'status', ok: true };
    const where = `status list ${entry.statusListCredential}, index ${entry.index}`;
    if (message === 'revoked') return fail(`revoked: the issuer has revoked this credential (${where})`);
    if (message === 'suspended') return fail(`suspended: the issuer has suspended this credential (${where})`);
    return fail(`${message} (${where})`);
  } catch (error) {
    if (error instanceof MalformedStatusList) return fail(`the status cannot be read: ${error.message}`);
    if (error instanceof StatusListUnavailable) return fail(`the status list cannot be used: ${error.message}`);
    throw error;
  }
}
