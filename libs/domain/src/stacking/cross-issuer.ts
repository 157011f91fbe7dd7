import type { ValidationIssue } from '../shared/domain-error';
import { compareInstants } from '../shared/instant';
import type { StackingCatalogue } from './catalogue';
import type { Rule } from './rule';

/**
 * One recognition (credit-transfer agreement) as the stacking engine reads it: the pathway's issuer counts the awards
 * of `recognisedIssuerId` — of every achievement of it, or of those listed — that were made within [from, until).
 */
export type RecognitionWindow = {
  recognisedIssuerId: string;
  achievementIds: 'all' | readonly string[];
  from: string;
  /** Absent: open-ended. A withdrawal closes the window at the instant it takes effect. */
  until?: string;
};

/**
 * Whose awards a pathway counts: those of its own issuer, and another issuer's only under one of `recognitions` in
 * force when the award was made. The caller gives the recognitions as the ledger knew them at the instant it asks
 * about (the as-of replay: as recorded by then).
 */
export type CrossIssuerCounting = { issuerId: string; recognitions: readonly RecognitionWindow[] };

/** Whether the window covers an award of `achievementId` by `issuerId` made at `madeAt`. */
export function windowCovers(
  window: RecognitionWindow,
  issuerId: string,
  achievementId: string,
  madeAt: string,
): boolean {
  if (window.recognisedIssuerId !== issuerId) return false;
  if (window.achievementIds !== 'all' && !window.achievementIds.includes(achievementId)) return false;
  if (compareInstants(madeAt, window.from) < 0) return false;
  return window.until === undefined || compareInstants(madeAt, window.until) < 0;
}

/**
 * Whether a pathway counting as `counting` says may count an award (or recognised prior learning) of `achievementId`,
 * whose issuer is `issuerId` (undefined: not known, so not counted), made at `madeAt` (undefined: not known, so only
 * its own issuer's counts).
 */
export function counts(
  counting: CrossIssuerCounting,
  issuerId: string | undefined,
  achievementId: string,
  madeAt: string | undefined,
): boolean {
  if (issuerId === undefined) return false;
  if (issuerId === counting.issuerId) return true;
  if (madeAt === undefined) return false;
  return counting.recognitions.some((window) => windowCovers(window, issuerId, achievementId, madeAt));
}

/** Whether a window has not ended by `at`: a pathway may name what it recognises now or from a later date. */
export const windowOpenAt = (window: RecognitionWindow, at: string): boolean =>
  window.until === undefined || compareInstants(at, window.until) < 0;

/**
 * Every achievement the rule names, directly or through the nested pathways the catalogue knows, that is another
 * issuer's and that no recognition of `counting` covers at `at` or later (`recognition-missing`), each with the path of
 * its node ('' for the rule itself, `allOf[1]`…; for one a nested pathway names, the path of the `{ pathway }` node).
 * Achievements the catalogue does not know are left to `validateRule`.
 */
export function missingRecognitions(
  rule: Rule,
  catalogue: StackingCatalogue,
  counting: CrossIssuerCounting,
  at: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const recognised = (issuerId: string, achievementId: string): boolean =>
    counting.recognitions.some(
      (window) =>
        window.recognisedIssuerId === issuerId &&
        (window.achievementIds === 'all' || window.achievementIds.includes(achievementId)) &&
        windowOpenAt(window, at),
    );
  const visit = (node: Rule, path: string, trail: readonly string[], via?: string): void => {
    if ('achievement' in node) {
      const issuerId = catalogue.achievement(node.achievement)?.issuerId;
      if (issuerId === undefined || issuerId === counting.issuerId || recognised(issuerId, node.achievement)) return;
      const named = via === undefined ? '' : ` (through the pathway ${via})`;
      issues.push({
        path,
        code: 'recognition-missing',
        message: `${node.achievement} is an achievement of ${issuerId}${named}, which ${counting.issuerId} has no recognition of`,
      });
      return;
    }
    if ('pathway' in node) {
      const nested = catalogue.pathway(node.pathway)?.rule;
      if (nested !== undefined && !trail.includes(node.pathway))
        visit(nested, path, [...trail, node.pathway], via ?? node.pathway);
      return;
    }
    // Inside a nested pathway every issue sits at the `{ pathway }` node that reaches it.
    const each = (rules: readonly Rule[], name: string) =>
      rules.forEach((child, index) =>
        visit(child, via !== undefined ? path : `${path === '' ? name : `${path}.${name}`}[${index}]`, trail, via),
      );
    if ('allOf' in node) each(node.allOf, 'allOf');
    else if ('anyOf' in node) each(node.anyOf, 'anyOf');
    else if ('nOf' in node) each(node.nOf.of, 'nOf.of');
    else if ('credits' in node && node.credits.from !== undefined) each(node.credits.from, 'credits.from');
  };
  visit(rule, '', []);
  return issues;
}
