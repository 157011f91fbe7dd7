/** @app/credentials — Open Badges 3.0 credentials for awards, VC-JWT signing and verification, key encryption. */
export {
  achievementId,
  type AchievementCredentialInput,
  buildAchievementCredential,
  type CredentialIssuer,
  credentialId,
  identityHash,
  issuerProfile,
  issuerProfileId,
  type JsonObject,
  learnerIdentification,
  type LearnerIdentity,
  learnerUrn,
  OB3_CONTEXT,
  OB3_SCHEMA_URL,
  subjectOf,
} from './achievement-credential';
export { issuerProfileDocument, type ProfileKey } from './issuer-profile';
export { KeyDecryptionFailed, KeyEncryption } from './key-encryption';
export { ledgerCheck, ledgerKeyCheck, type LedgerRecord } from './ledger-check';
export { ob3SchemaValidator } from './ob3-schema';
export {
  buildStatusListCredential,
  checkCredentialStatus,
  credentialStatusEntry,
  type CredentialStatusValue,
  decodeStatusList,
  encodeStatusList,
  MalformedStatusList,
  type ParsedStatusEntry,
  parseStatusEntry,
  readEntry,
  STATUS_LIST_CAPACITY,
  STATUS_LIST_TTL_MS,
  STATUS_MESSAGES,
  STATUS_PURPOSE,
  STATUS_SIZE,
  type StatusEntryLocation,
  statusInList,
  StatusListUnavailable,
  statusListUrl,
} from './status-list';
export {
  type Check,
  type CheckName,
  issuerIdOf,
  type KnownKey,
  MalformedCredential,
  SIGNING_ALG,
  signCredentialJwt,
  type Verification,
  verifyCredentialJson,
  verifyCredentialJwt,
} from './vc-jwt';
export {
  buildClrCredential,
  CLR_CONTEXT,
  CLR_SCHEMA_URL,
  type ClrAward,
  type ClrCredentialInput,
  clrId,
  type ClrPathway,
  pathwaysInClr,
} from './clr-credential';
export {
  buildQualificationCredential,
  type ConferredQualification,
  pathwayAchievement,
  pathwayAchievementId,
  type QualificationCredentialInput,
  qualificationCredentialId,
  type RuleTitles,
  ruleNarrative,
} from './qualification-credential';
export {
  type AwardEdcInput,
  buildAwardEdc,
  buildQualificationEdc,
  EDC_CONTEXT,
  EDC_SHAPES_URL,
  type EdcAward,
  edcId,
  type QualificationEdcInput,
} from './edc-credential';
export { edcDocumentLoader, type LoadedDocument } from './edc-document-loader';
