/**
 * Identifier rules. An id is 1–64 characters: letters, digits, `.`, `_`, `:` and `-`, starting and ending with a letter
 * or digit (so UUIDs, slugs and `urn:`-like ids all pass). `~` is never part of an id: record streams use it as the
 * separator between the learner and the achievement id. Ids are case-sensitive.
 * Issuer ids are slugs: lower-case letters and digits in words joined by single hyphens.
 */
export const ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._:-]{0,62}[A-Za-z0-9])?$/;
export const SLUG_PATTERN = /^(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);
export const isSlug = (value: unknown): value is string => typeof value === 'string' && SLUG_PATTERN.test(value);
