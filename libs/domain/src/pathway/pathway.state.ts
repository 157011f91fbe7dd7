import type { PathwayDefinition } from './pathway.definition';
import type { PathwayEvent } from './pathway.events';

export type PathwayVersion = { version: number; definition: PathwayDefinition; publishedAt: string };

/** A pathway: never defined, published (every version usable), or retired (no more conferrals). */
export type Pathway =
  | { status: 'none' }
  | { status: 'published'; pathwayId: string; issuerId: string; versions: PathwayVersion[] }
  | { status: 'retired'; pathwayId: string; issuerId: string; versions: PathwayVersion[]; retiredAt: string };

export const initialPathway = (): Pathway => ({ status: 'none' });

export function evolvePathway(state: Pathway, event: PathwayEvent): Pathway {
  switch (event.type) {
    case 'PathwayDefined': {
      const { pathwayId, issuerId, version, definition, definedAt } = event.data;
      return { status: 'published', pathwayId, issuerId, versions: [{ version, definition, publishedAt: definedAt }] };
    }
    case 'PathwayRevised': {
      if (state.status === 'none') return state;
      const { version, definition, revisedAt } = event.data;
      return { ...state, versions: [...state.versions, { version, definition, publishedAt: revisedAt }] };
    }
    case 'PathwayRetired':
      return state.status === 'none' ? state : { ...state, status: 'retired', retiredAt: event.data.retiredAt };
    default:
      return state;
  }
}

/** The newest version, or undefined when the pathway was never defined. */
export function latestPathwayVersion(pathway: Pathway): PathwayVersion | undefined {
  return pathway.status === 'none' ? undefined : pathway.versions[pathway.versions.length - 1];
}

/** One version by number, or undefined. */
export function findPathwayVersion(pathway: Pathway, version: number): PathwayVersion | undefined {
  return pathway.status === 'none' ? undefined : pathway.versions.find((v) => v.version === version);
}
