/** @app/credentials — Open Badges 3.0 credentials for awards, VC-JWT signing and verification, key encryption. */
export {
  achievementId,
  type AchievementCredentialInput,
  buildAchievementCredential,
  type CredentialIssuer,
  credentialId,
  identityHash,
  issuerProfileId,
  type JsonObject,
  type LearnerIdentity,
  learnerUrn,
  OB3_CONTEXT,
  OB3_SCHEMA_URL,
  subjectOf,
} from './achievement-credential';
export { KeyDecryptionFailed, KeyEncryption } from './key-encryption';
export { ob3SchemaValidator } from './ob3-schema';
export {
  type Check,
  type CheckName,
  type KnownKey,
  MalformedCredential,
  SIGNING_ALG,
  signCredentialJwt,
  type Verification,
  verifyCredentialJson,
  verifyCredentialJwt,
} from './vc-jwt';
