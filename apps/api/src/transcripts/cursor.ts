import { BadRequestException } from '@nestjs/common';

/** An opaque cursor: base64url of a small JSON object. */
export const encodeCursor = (value: Record<string, string>): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

const malformed = () =>
  new BadRequestException({
    type: 'urn:tessera:problem:invalid-cursor',
    title: 'Invalid input',
    message: 'cursor is not one this api gave; pass the `next` of a previous page as it is',
    errors: [{ field: 'cursor', message: 'cursor must be the `next` of a previous page' }],
  });

/** The cursor's fields, each a non-empty string and checked by `valid`; anything else is a 400 problem. */
export function decodeCursor<const Keys extends readonly string[]>(
  cursor: string,
  keys: Keys,
  valid: (fields: Record<Keys[number], string>) => boolean = () => true,
): Record<Keys[number], string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed();
  const record = parsed as Record<string, unknown>;
  if (Object.keys(record).length !== keys.length) throw malformed();
  for (const key of keys) if (typeof record[key] !== 'string' || record[key] === '') throw malformed();
  const fields = record as Record<Keys[number], string>;
  if (!valid(fields)) throw malformed();
  return fields;
}
