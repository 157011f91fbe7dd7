import { hash } from 'node:crypto';

/** A UUID (version 8, name-based) from a SHA-256 of the parts: the same parts always give the same id. */
export function deriveId(...parts: string[]): string {
  const hex = hash('sha256', parts.join('\u001f'), 'hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
