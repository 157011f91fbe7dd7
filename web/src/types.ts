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
  asOfPosition?: string;
  effectiveAt?: string;
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

export type RecordStage = 'awaiting-assessment' | 'not-yet' | 'passed' | 'awarded' | 'revoked';

/** `GET /learners/:id/records`: where the learner stands on each micro-credential. */
export interface LearnerRecords {
  learnerId: string;
  names: Record<string, string>;
  records: Array<{
    achievementId: string;
    title: string | null;
    issuerId: string | null;
    version: number | null;
    stage: RecordStage;
    criteria: Array<{
      criterionId: string;
      description: string;
      required: boolean;
      evidenceIds: string[];
      met: boolean | null;
    }>;
    evidence: Array<{
      evidenceId: string;
      kind: string;
      criterionIds: string[];
      description: string;
      observedBy: string;
      observedAt: string;
      assessed: boolean;
    }>;
    assessments: Array<{ assessmentId: string; assessor: string; outcome: 'passed' | 'not-yet'; assessedAt: string }>;
    pending: string[];
    missing: string[];
  }>;
}

export type ActivityEvent = HistoryEvent & { learnerId?: string };

/** A line of `GET /audit/verify/progress`. */
export type AuditLine =
  | { progress: { events: number; streams: number; broken: number; total: number } }
  | {
      report: {
        ok: boolean;
        streams: number;
        events: number;
        broken: Array<{ stream: string; revision: number; reason: string }>;
      };
    }
  | { error: { title: string } };

/** `GET /analytics/issuers/:id/charts`. */
export interface IssuerCharts {
  issuerId: string;
  passRates: Array<{ achievementId: string; passed: number; notYet: number; passRate: number | null }>;
  daysToAward: Array<{ fromDays: number; toDays: number | null; learners: number }>;
  creditsByMonth: Array<{ month: string; framework: string; value: number }>;
  pathways: Array<{
    pathwayId: string;
    achievementIds: string[];
    steps: Array<{ atLeast: number; learners: number }>;
    conferred: number;
  }>;
}
