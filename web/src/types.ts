/** The shapes of the HTTP API the page reads (shared/DESIGN.md §6, docs/http-api.md). */

export type Kind = 'skill' | 'knowledge' | 'disposition';
export type AwardStatus = 'valid' | 'expired' | 'suspended' | 'revoked';
export type Credit = { framework: string; value: number };
export type Level = { framework: string; level: number };

export interface TranscriptAward {
  awardId: string;
  achievementId: string;
  issuerId: string;
  version: number;
  title: string;
  kind?: Kind;
  status: AwardStatus;
  issuedAt: string;
  validUntil?: string;
  credits: Credit[];
  level: Level;
}

export interface Transcript {
  learnerId: string;
  asOf?: string;
  awards: TranscriptAward[];
  qualifications: Array<{
    qualificationId: string;
    pathwayId: string;
    title: string;
    awardType: string;
    status: 'conferred' | 'invalidated' | 'revoked';
    conferredAt: string;
    credits: Credit[];
  }>;
  creditTotals: Array<{ framework: string; value: number; basis: 'official' | 'convention' }>;
}

export type Rule =
  | { achievement: string }
  | { pathway: string }
  | { allOf: Rule[] }
  | { anyOf: Rule[] }
  | { nOf: { n: number; of: Rule[] } }
  | { credits: { framework: string; min: number; minLevel?: Level } }
  | { count: { min: number; kind?: Kind } };

export type MissingItem =
  | {
      type: 'achievement';
      path: string;
      achievementId: string;
      status: 'not-held' | 'not-recognised' | Exclude<AwardStatus, 'valid'>;
    }
  | { type: 'pathway'; path: string; pathwayId: string }
  | { type: 'credits'; path: string; framework: string; required: number; earned: number }
  | { type: 'count'; path: string; required: number; have: number; kind?: Kind }
  | { type: 'choice'; path: string; needed: number; options: MissingItem[][] };

export interface NodeResult {
  rule: Rule;
  satisfied: boolean;
  counted: string[];
  earned?: number;
  required?: number;
  framework?: string;
  conferred?: true;
  missing?: MissingItem[];
  children?: NodeResult[];
}

export interface Progress {
  learnerId: string;
  pathwayId: string;
  version: number;
  title: string;
  award: { title: string; type: string; credits: Credit[] };
  asOf?: string;
  satisfied: boolean;
  credits?: { framework: string; earned: number; required?: number };
  missing: MissingItem[];
  tree: NodeResult;
}

interface Versioned<D> {
  issuerId: string;
  status: 'published' | 'retired';
  versions: Array<{ version: number; definition: D }>;
}

export type Achievement = Versioned<{ title: string; kind: Kind; statement: string }> & { achievementId: string };
export type Pathway = Versioned<{ title: string; award: { title: string; type: string } }> & { pathwayId: string };

export interface SearchItem {
  learnerId: string;
  awardId: string;
  issuerId: string;
  achievementId: string;
  version: number;
  status: AwardStatus;
  issuedAt: string;
  validUntil?: string;
}

export interface HistoryEvent {
  type: string;
  stream: string;
  revision: string;
  position: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { actor?: { sub?: string; roles?: string[] } } & Record<string, unknown>;
}

export type Page<K extends string, T> = Record<K, T[]> & { next?: string };
