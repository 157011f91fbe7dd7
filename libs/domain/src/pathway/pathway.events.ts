import type { Event } from '../shared/decider';
import type { PathwayDefinition } from './pathway.definition';

/** Stream `pathway-{pathwayId}`. Version 1 is defined; each revision is the next version, in full. */
export type PathwayDefined = Event<
  'PathwayDefined',
  {
    schemaVersion: 1;
    pathwayId: string;
    issuerId: string;
    version: 1;
    definition: PathwayDefinition;
    definedAt: string;
    definedBy: string;
  }
>;

export type PathwayRevised = Event<
  'PathwayRevised',
  {
    schemaVersion: 1;
    pathwayId: string;
    issuerId: string;
    version: number;
    /** The whole new definition, rule included, not a patch. */
    definition: PathwayDefinition;
    revisedAt: string;
    revisedBy: string;
  }
>;

/** Every version is retired: no more conferrals; qualifications already conferred stand. */
export type PathwayRetired = Event<
  'PathwayRetired',
  {
    schemaVersion: 1;
    pathwayId: string;
    issuerId: string;
    reason?: string;
    retiredAt: string;
    retiredBy: string;
  }
>;

export type PathwayEvent = PathwayDefined | PathwayRevised | PathwayRetired;

export const PATHWAY_EVENT_TYPES: readonly PathwayEvent['type'][] = [
  'PathwayDefined',
  'PathwayRevised',
  'PathwayRetired',
];

export const isPathwayEvent = (event: { type: string }): event is PathwayEvent =>
  (PATHWAY_EVENT_TYPES as readonly string[]).includes(event.type);
