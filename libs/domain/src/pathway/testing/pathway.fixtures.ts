import type { Actor } from '../../shared/actor';
import type { ValidationIssue } from '../../shared/domain-error';
import { issuerAdmin, ISSUER_ID } from '../../shared/testing/actors';
import { withoutUndefined } from '../../shared/testing/without-undefined';
import type { Rule } from '../../stacking/rule';
import type { PathwayContext, PathwayRuleChecks } from '../pathway.decider';
import type { DefinePathway, RetirePathway, RevisePathway } from '../pathway.commands';
import type { PathwayDefinition } from '../pathway.definition';
import type { PathwayDefined, PathwayRetired, PathwayRevised } from '../pathway.events';

export const PATHWAY_ID = 'python-developer';
export const NESTED_PATHWAY_ID = 'python-foundations';
export const DEFINED_AT = '2026-01-15T10:00:00.000Z';
export const REVISED_AT = '2026-03-01T10:00:00.000Z';
export const RETIRED_AT = '2026-09-30T17:00:00.000Z';

type Metadata = { now?: string; actor?: Actor };

/** Two named achievements, a nested pathway, and 10 ECTS in all. */
export const rule = (): Rule => ({
  allOf: [
    { achievement: 'python-basics' },
    { achievement: 'python-testing' },
    { pathway: NESTED_PATHWAY_ID },
    { credits: { framework: 'ECTS', min: 10 } },
  ],
});

/** A certificate at EQF 5 worth 10 ECTS, conferred automatically, invalidated when its basis is lost. */
export const definition = (overrides: Partial<PathwayDefinition> = {}): PathwayDefinition =>
  withoutUndefined({
    title: 'Python developer',
    description: 'Programming, testing and packaging Python, stacked from three micro-credentials.',
    award: {
      title: 'Certificate in Python Development',
      type: 'Certificate',
      level: { framework: 'EQF', level: 5 },
      credits: [{ framework: 'ECTS', value: 10 }],
    },
    rule: rule(),
    conferral: 'automatic',
    onBasisLost: 'invalidate',
    ...overrides,
  });

/** Rule checks that find nothing wrong. */
export const passingChecks: PathwayRuleChecks = {
  checkRule: () => [],
  findCycle: () => undefined,
  checkRecognitions: () => [],
};

/** A checkRule that reports the given issues (paths relative to the rule). */
export const failingRule = (...issues: ValidationIssue[]): PathwayRuleChecks => ({
  ...passingChecks,
  checkRule: () => issues,
});

/** A findCycle that finds the pathway nested in itself through the nested pathway. */
export const cyclic: PathwayRuleChecks = {
  ...passingChecks,
  findCycle: (pathwayId) => [pathwayId, NESTED_PATHWAY_ID, pathwayId],
};

export const withChecks = (context: Partial<PathwayContext> = {}): PathwayContext => ({ ...passingChecks, ...context });

const meta = (now: string, metadata: Metadata) => ({ now, actor: issuerAdmin, ...metadata });

export const definePathway = (
  overrides: Partial<PathwayDefinition> = {},
  metadata: Metadata = {},
  data: Partial<DefinePathway['data']> = {},
): DefinePathway => ({
  type: 'DefinePathway',
  data: { pathwayId: PATHWAY_ID, issuerId: ISSUER_ID, definition: definition(overrides), ...data },
  metadata: meta(DEFINED_AT, metadata),
});

export const revisePathway = (overrides: Partial<PathwayDefinition> = {}, metadata: Metadata = {}): RevisePathway => ({
  type: 'RevisePathway',
  data: { pathwayId: PATHWAY_ID, definition: definition(overrides) },
  metadata: meta(REVISED_AT, metadata),
});

export const retirePathway = (reason?: string, metadata: Metadata = {}): RetirePathway => ({
  type: 'RetirePathway',
  data: { pathwayId: PATHWAY_ID, ...(reason === undefined ? {} : { reason }) },
  metadata: meta(RETIRED_AT, metadata),
});

export const pathwayDefined = (
  overrides: Partial<PathwayDefinition> = {},
  data: Partial<PathwayDefined['data']> = {},
): PathwayDefined => ({
  type: 'PathwayDefined',
  data: {
    schemaVersion: 1,
    pathwayId: PATHWAY_ID,
    issuerId: ISSUER_ID,
    version: 1,
    definition: definition(overrides),
    definedAt: DEFINED_AT,
    definedBy: issuerAdmin.sub,
    ...data,
  },
});

export const pathwayRevised = (
  version: number,
  overrides: Partial<PathwayDefinition> = {},
  data: Partial<PathwayRevised['data']> = {},
): PathwayRevised => ({
  type: 'PathwayRevised',
  data: {
    schemaVersion: 1,
    pathwayId: PATHWAY_ID,
    issuerId: ISSUER_ID,
    version,
    definition: definition(overrides),
    revisedAt: REVISED_AT,
    revisedBy: issuerAdmin.sub,
    ...data,
  },
});

export const pathwayRetired = (data: Partial<PathwayRetired['data']> = {}): PathwayRetired => ({
  type: 'PathwayRetired',
  data: {
    schemaVersion: 1,
    pathwayId: PATHWAY_ID,
    issuerId: ISSUER_ID,
    retiredAt: RETIRED_AT,
    retiredBy: issuerAdmin.sub,
    ...data,
  },
});
