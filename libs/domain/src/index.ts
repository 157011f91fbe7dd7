/**
 * @app/domain — the pure domain of Tessera: events, commands and deciders for issuers, achievements (micro-credential
 * definitions) and learner records. No framework, no store, no clock: time and ids arrive in the command.
 *
 * A command handler reads the stream, folds it, decides, and appends with the expected revision:
 *   const state = foldRecord(events.filter(isRecordEvent));
 *   const newEvents = decideRecord(command, state, { achievement, prerequisites });
 */

// Deciders, events, commands, errors
export type { Command, CommandMetadata, Decider, Event, EventData } from './shared/decider';
export { fold } from './shared/decider';
export type { DomainErrorCode, DomainErrorKind, ValidationIssue } from './shared/domain-error';
export { DOMAIN_ERROR_KINDS, DomainError, isDomainError } from './shared/domain-error';
export type { Actor, Role } from './shared/actor';
export { requireIssuer, requireRole, ROLES } from './shared/actor';
export type { JsonObject, JsonValue } from './shared/json';

// Ids, stream names, instants, durations
export { ID_PATTERN, isId, isSlug, SLUG_PATTERN } from './shared/ids';
export {
  achievementStream,
  issuerStream,
  learnerStream,
  parseRecordStream,
  RECORD_SEPARATOR,
  recordStream,
  xapiStream,
  STREAM_PREFIX,
} from './shared/streams';
export { compareInstants, formatInstant, isInstant, normaliseInstant, parseInstant } from './shared/instant';
export type { IsoDuration } from './shared/iso-duration';
export { addDuration, isDuration, isPositiveDuration, parseDuration } from './shared/iso-duration';
export { COUNTRY_CODES, isCountryCode } from './shared/country-codes';

// Issuers — stream issuer-{issuerId}
export type {
  IssuerCredentialsResigned,
  IssuerEvent,
  IssuerKeyCompromised,
  IssuerKeyRotated,
  IssuerMultikey,
  IssuerRegistered,
} from './issuer/issuer.events';
export { isIssuerEvent, ISSUER_EVENT_TYPES } from './issuer/issuer.events';
export type { CompromiseIssuerKey, IssuerCommand, RegisterIssuer, RotateIssuerKey } from './issuer/issuer.commands';
export type { Issuer, IssuerKey } from './issuer/issuer.state';
export { currentKey, evolveIssuer, initialIssuer } from './issuer/issuer.state';
export {
  compromiseIssuerKey,
  decideIssuer,
  foldIssuer,
  issuerDecider,
  registerIssuer,
  rotateIssuerKey,
} from './issuer/issuer.decider';
// Recognitions — credit-transfer agreements, on the recognising issuer's stream
export type { RecognitionEvent, RecognitionRecorded, RecognitionWithdrawn } from './issuer/recognition.events';
export { RECOGNITION_EVENT_TYPES } from './issuer/recognition.events';
export type { RecognitionCommand, RecordRecognition, WithdrawRecognition } from './issuer/recognition.commands';
export type { IssuerRecognition } from './issuer/recognition.state';
export { recognitionInForce, recognitionWindow } from './issuer/recognition.state';
export type { RecognitionContext } from './issuer/recognition.decider';
export { MAX_RECOGNISED_ACHIEVEMENTS, recordRecognition, withdrawRecognition } from './issuer/recognition.decider';

// Achievements (micro-credential definitions, versioned) — stream achievement-{achievementId}
export type {
  AchievementDefinition,
  AchievementDefinitionInput,
  AchievementKind,
  Alignment,
  Credit,
  Criterion,
  Level,
  Participation,
  Supervision,
} from './achievement/achievement.definition';
export { ACHIEVEMENT_KINDS, PARTICIPATION_FORMS, STATEMENT_OPENINGS } from './achievement/achievement.definition';
export type {
  AchievementDefined,
  AchievementEvent,
  AchievementRetired,
  AchievementRevised,
} from './achievement/achievement.events';
export { ACHIEVEMENT_EVENT_TYPES, isAchievementEvent } from './achievement/achievement.events';
export type {
  AchievementCommand,
  DefineAchievement,
  RetireAchievement,
  ReviseAchievement,
} from './achievement/achievement.commands';
export type { Achievement, AchievementVersion } from './achievement/achievement.state';
export { evolveAchievement, findVersion, initialAchievement, latestVersion } from './achievement/achievement.state';
export type { AchievementContext } from './achievement/achievement.decider';
export {
  achievementDecider,
  decideAchievement,
  defineAchievement,
  foldAchievement,
  retireAchievement,
  reviseAchievement,
} from './achievement/achievement.decider';

// Learner records — stream record-{learnerId}~{achievementId}
export type {
  AchievementAwarded,
  Artifact,
  AssessmentOutcome,
  AssessmentRecorded,
  AwardReinstated,
  AwardRevoked,
  AwardSuspended,
  CriterionResult,
  EvidenceKind,
  EvidenceSubmitted,
  EvidenceWithdrawn,
  PriorLearningRecognised,
  RecordEvent,
} from './record/record.events';
export { isRecordEvent, RECORD_EVENT_TYPES } from './record/record.events';
export type {
  AwardAchievement,
  RecognisePriorLearning,
  RecordAssessment,
  RecordCommand,
  ReinstateAward,
  RevokeAward,
  SubmitEvidence,
  SuspendAward,
  WithdrawEvidence,
} from './record/record.commands';
export type { RecordContext } from './record/record.context';
export { prerequisitesToLoad } from './record/record.context';
export type {
  AssessmentEntry,
  AwardEntry,
  AwardStanding,
  AwardStatus,
  EvidenceEntry,
  LearnerRecord,
  RecognitionEntry,
} from './record/record.state';
export {
  activeAwardAt,
  awardStatusAt,
  evolveRecord,
  initialRecord,
  latestAssessment,
  validAwardAt,
} from './record/record.state';
export { outcomeOf } from './record/record-assessment';
export { decideRecord, foldRecord, recordDecider } from './record/record.decider';
export type { CriterionProgress, RecordProgress, RecordStage } from './record/record-progress';
export { recordProgress } from './record/record-progress';

// xAPI — stream xapi-{issuerId}: the issuer's learning-platform clients and evidence mappings
export type {
  XapiAssessLevel,
  XapiClientRegistered,
  XapiClientRevoked,
  XapiEvent,
  XapiMappingSet,
  XapiRule,
} from './xapi/xapi.events';
export { isXapiEvent, XAPI_EVENT_TYPES } from './xapi/xapi.events';
export type { RegisterXapiClient, RevokeXapiClient, SetXapiMapping, XapiCommand } from './xapi/xapi.commands';
export type { XapiClient, XapiIssuer, XapiMapping } from './xapi/xapi.state';
export { activeXapiClient, evolveXapiIssuer, initialXapiIssuer, xapiMappingOf } from './xapi/xapi.state';
export type { XapiContext } from './xapi/xapi.decider';
export { decideXapi, foldXapiIssuer, MAX_XAPI_RULES, xapiDecider } from './xapi/xapi.decider';
export type { XapiAssessedCriterion, XapiAssessedEvidence, XapiMatch, XapiStatementFacts } from './xapi/xapi.matching';
export { automatedAssessment, matchStatement, statementFacts, VOIDED_VERB } from './xapi/xapi.matching';

// Learner profiles — stream learner-{learnerId}: that personal data was given or erased, never the data itself
export type {
  EraseLearnerProfile,
  LearnerCommand,
  LearnerEvent,
  LearnerProfile,
  LearnerProfileErased,
  LearnerProfileRecorded,
  RecordLearnerProfile,
} from './learner/learner';
export { decideLearnerProfile, learnerProfileDecider } from './learner/learner';

// Pathways (stackable qualifications, versioned) — stream pathway-{pathwayId}; and qualifications, the conferral of a
// pathway's award on a learner — stream qualification-{learnerId}~{pathwayId}
export { parseQualificationStream, pathwayStream, qualificationStream } from './shared/streams';
export type {
  AwardType,
  BasisLostPolicy,
  Conferral,
  Ob3AchievementType,
  PathwayAward,
  PathwayDefinition,
  PathwayDefinitionInput,
} from './pathway/pathway.definition';
export {
  BASIS_LOST_POLICIES,
  CONFERRAL_MODES,
  isAwardType,
  OB3_ACHIEVEMENT_TYPES,
  pathwayFramework,
} from './pathway/pathway.definition';
export type { PathwayDefined, PathwayEvent, PathwayRetired, PathwayRevised } from './pathway/pathway.events';
export { isPathwayEvent, PATHWAY_EVENT_TYPES } from './pathway/pathway.events';
export type { DefinePathway, PathwayCommand, RetirePathway, RevisePathway } from './pathway/pathway.commands';
export type { Pathway, PathwayVersion } from './pathway/pathway.state';
export { evolvePathway, findPathwayVersion, initialPathway, latestPathwayVersion } from './pathway/pathway.state';
export type { PathwayContext, PathwayRuleChecks } from './pathway/pathway.decider';
export {
  decidePathway,
  definePathway,
  foldPathway,
  pathwayDecider,
  retirePathway,
  revisePathway,
} from './pathway/pathway.decider';
export type {
  QualificationBasisInvalidated,
  QualificationConferred,
  QualificationEvent,
  QualificationRevoked,
} from './qualification/qualification.events';
export { isQualificationEvent, QUALIFICATION_EVENT_TYPES } from './qualification/qualification.events';
export type {
  ConferQualification,
  InvalidateQualification,
  QualificationBasis,
  QualificationCommand,
  RevokeQualification,
} from './qualification/qualification.commands';
export type { QualificationEntry, Qualifications, QualificationStatus } from './qualification/qualification.state';
export {
  activeQualification,
  evolveQualifications,
  findQualification,
  initialQualifications,
} from './qualification/qualification.state';
export type { QualificationContext } from './qualification/confer-qualification';
export { conferQualification } from './qualification/confer-qualification';
export { invalidateQualification, revokeQualification } from './qualification/end-qualification';
export { CONFERRAL_ACTOR } from './qualification/qualification.actors';
export { decideQualification, foldQualifications, qualificationDecider } from './qualification/qualification.decider';

// Credit and level frameworks — data with provenance (shared/FRAMEWORKS.md), conversions through a versioned table
export type {
  ConversionBasis,
  ConversionMethod,
  ConversionStep,
  CreditConversion,
  CreditFramework,
  CreditFrameworkId,
} from './frameworks/credit-frameworks';
export {
  CONVERSION_TABLE_VERSION,
  conversionStep,
  convertCredits,
  CREDIT_FRAMEWORK_IDS,
  CREDIT_FRAMEWORKS,
  creditFramework,
  isCreditFramework,
  notionalHours,
  roundCredits,
} from './frameworks/credit-frameworks';
export type { EqfReference, LevelFramework, LevelKey } from './frameworks/level-frameworks';
export {
  eqfLevelOf,
  isLevelFramework,
  LEVEL_FRAMEWORK_IDS,
  LEVEL_FRAMEWORKS,
  noEquivalentNote,
  toEqf,
} from './frameworks/level-frameworks';

// Stacking — the rule language, its validation and the pure evaluation of a learner's progress on a pathway
export type { Rule, RuleKind } from './stacking/rule';
export { RULE_KINDS, ruleKind } from './stacking/rule';
export type { RuleReferences } from './stacking/rule-references';
export { countsAnyAward, findPathwayCycle, flattenRule, ruleReferences } from './stacking/rule-references';
export { PATHWAY_RULE_SCHEMA_PATH, pathwayRuleDocument, pathwayRuleSchema } from './stacking/rule.schema';
export type { RuleLookups } from './stacking/validate-rule';
export { checkRule, MAX_RULE_AMOUNT, MAX_RULE_DEPTH, MAX_RULE_NODES, validateRule } from './stacking/validate-rule';
export type { HeldAward, Holdings, RecognisedLearning } from './stacking/holdings';
export { holdingsFromRecords } from './stacking/holdings';
export type { CrossIssuerCounting, RecognitionWindow } from './stacking/cross-issuer';
export { counts, missingRecognitions, windowCovers } from './stacking/cross-issuer';
export type { CatalogueAchievement, CataloguePathway, StackingCatalogue } from './stacking/catalogue';
export { catalogueOf } from './stacking/catalogue';
export type {
  MissingAchievementStatus,
  MissingItem,
  NodeResult,
  PathwayUnderEvaluation,
  StackingResult,
} from './stacking/evaluate';
export { evaluate, evaluatePrepared, prepareHoldings, PreparedHoldings } from './stacking/evaluate';

// Transcripts — one pure fold over a learner's record and qualification streams, shown at an instant (DESIGN §4, §6)
export type {
  AchievementLookup,
  AchievementSummary,
  Transcript,
  TranscriptAward,
  TranscriptAwardEntry,
  TranscriptCreditTotal,
  TranscriptEventInput,
  TranscriptQualification,
  TranscriptQualificationEntry,
  TranscriptRecognitionEntry,
  TranscriptScope,
  TranscriptState,
} from './transcript/transcript';
export {
  creditTotals,
  evolveTranscript,
  foldTranscript,
  initialTranscript,
  isTranscriptEvent,
  scopeTranscript,
  transcriptAt,
  transcriptEffectiveAt,
  transcriptLearnerOf,
  transcriptStateEffectiveAt,
} from './transcript/transcript';

// Analytics — one pure fold per achievement over its record and definition events; an issuer is the sum of its own
export type {
  AchievementAnalytics,
  AchievementAnalyticsState,
  AnalyticsEventInput,
  AnalyticsLearner,
  IssuerAnalytics,
} from './analytics/achievement-analytics';
export {
  analyticsAchievementOf,
  analyticsLearnerOf,
  applyAchievementAnalytics,
  evolveAchievementAnalytics,
  foldAchievementAnalytics,
  initialAchievementAnalytics,
  summariseAchievement,
  summariseIssuer,
} from './analytics/achievement-analytics';
export type {
  AchievementPassRate,
  DaysToAwardBucket,
  IssuerCharts,
  MonthCredits,
  PathwayFunnel,
} from './analytics/issuer-charts';
export {
  creditsByMonth,
  DAYS_TO_AWARD_EDGES,
  daysToAwardDistribution,
  passRates,
  pathwayAchievements,
  pathwayFunnel,
} from './analytics/issuer-charts';
