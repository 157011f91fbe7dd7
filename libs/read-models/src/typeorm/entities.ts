import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';

/**
 * Every table outside the event store, as TypeORM entities. The migrations in ../migrations make and change these
 * tables; a test checks that the entities and the migrated schema agree. Row types are what the columns hold.
 */

const text = (options: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
  type: 'text',
  ...options,
});
/** `COLLATE "C"`: byte order, which keyset paging over ids relies on, and faster comparisons. */
const byteOrdered = (options: Partial<EntitySchemaColumnOptions> = {}) => text({ collation: 'C', ...options });
const bigint = (options: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
  type: 'bigint',
  ...options,
});
const timestamptz = (options: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
  type: 'timestamptz',
  ...options,
});
const createdNow = (): EntitySchemaColumnOptions => timestamptz({ default: () => 'now()' });

export interface CheckpointRow {
  projection: string;
  position: string;
  updatedAt: Date;
  failedPosition: string | null;
  failedError: string | null;
  failedSince: Date | null;
  version: number;
}

export const CheckpointEntity = new EntitySchema<CheckpointRow>({
  name: 'Checkpoint',
  tableName: 'tessera_checkpoints',
  columns: {
    projection: text({ primary: true }),
    position: bigint(),
    updatedAt: { ...createdNow(), name: 'updated_at' },
    failedPosition: bigint({ name: 'failed_position', nullable: true }),
    failedError: text({ name: 'failed_error', nullable: true }),
    failedSince: timestamptz({ name: 'failed_since', nullable: true }),
    version: { type: 'integer', default: 1 },
  },
});

export const StreamSummaryEntity = new EntitySchema({
  name: 'StreamSummary',
  tableName: 'tessera_stream_summary',
  columns: {
    streamName: text({ name: 'stream_name', primary: true }),
    category: text(),
    eventCount: { type: 'integer', name: 'event_count' },
    lastRevision: bigint({ name: 'last_revision' }),
    lastPosition: bigint({ name: 'last_position' }),
    lastEventType: text({ name: 'last_event_type' }),
    lastRecordedAt: timestamptz({ name: 'last_recorded_at' }),
  },
  indices: [
    { name: 'tessera_stream_summary_category', columns: ['category', 'streamName'] },
    // A prefix search (`LIKE 'record-x~%'`) uses this one; TypeORM cannot say `text_pattern_ops`, the migration does.
    { name: 'tessera_stream_summary_name_prefix', columns: ['streamName'], synchronize: false },
  ],
});

/** The achievement and the pathway catalogues have one shape. */
function definitionCatalogueEntity(name: string, tableName: string) {
  return new EntitySchema({
    name,
    tableName,
    columns: {
      id: text({ primary: true }),
      issuerId: text({ name: 'issuer_id' }),
      status: text(),
      category: text(),
      title: text(),
      state: { type: 'jsonb' },
    },
    indices: [{ name: `${tableName}_issuer`, columns: ['issuerId', 'id'] }],
  });
}

export const AchievementCatalogueEntity = definitionCatalogueEntity(
  'AchievementCatalogue',
  'tessera_achievement_catalogue',
);
export const PathwayCatalogueEntity = definitionCatalogueEntity('PathwayCatalogue', 'tessera_pathway_catalogue');

export const AwardIndexEntity = new EntitySchema({
  name: 'AwardIndex',
  tableName: 'tessera_award_index',
  columns: {
    awardId: text({ name: 'award_id', primary: true }),
    learnerId: text({ name: 'learner_id' }),
    achievementId: text({ name: 'achievement_id' }),
    validUntil: timestamptz({ name: 'valid_until', nullable: true }),
  },
  indices: [{ name: 'tessera_award_index_expiry', columns: ['validUntil'], where: 'valid_until IS NOT NULL' }],
});

export const TranscriptEntity = new EntitySchema({
  name: 'Transcript',
  tableName: 'tessera_transcripts',
  columns: {
    learnerId: byteOrdered({ name: 'learner_id', primary: true }),
    state: { type: 'jsonb' },
    position: bigint(),
  },
});

export const TranscriptAwardEntity = new EntitySchema({
  name: 'TranscriptAward',
  tableName: 'tessera_transcript_awards',
  columns: {
    awardId: byteOrdered({ name: 'award_id', primary: true }),
    learnerId: byteOrdered({ name: 'learner_id' }),
    issuerId: text({ name: 'issuer_id' }),
    achievementId: text({ name: 'achievement_id' }),
    version: { type: 'integer' },
    status: text(),
    standing: text(),
    issuedAt: timestamptz({ name: 'issued_at' }),
    validUntil: timestamptz({ name: 'valid_until', nullable: true }),
  },
  indices: [
    { name: 'tessera_transcript_awards_order', columns: ['learnerId', 'awardId'], unique: true },
    { name: 'tessera_transcript_awards_issuer', columns: ['issuerId', 'learnerId', 'awardId'] },
    { name: 'tessera_transcript_awards_achievement', columns: ['achievementId', 'learnerId', 'awardId'] },
  ],
});

export const DefinitionIssuerEntity = new EntitySchema({
  name: 'DefinitionIssuer',
  tableName: 'tessera_definition_issuers',
  columns: {
    streamName: byteOrdered({ name: 'stream_name', primary: true }),
    issuerId: text({ name: 'issuer_id' }),
  },
});

export const LearnerStreamEntity = new EntitySchema({
  name: 'LearnerStream',
  tableName: 'tessera_learner_streams',
  columns: {
    learnerId: byteOrdered({ name: 'learner_id', primary: true }),
    streamName: byteOrdered({ name: 'stream_name', primary: true }),
    issuerId: text({ name: 'issuer_id', primary: true }),
  },
});

/** Analytics: an achievement's counters (its folded state without the learners, who have rows of their own). */
export const AnalyticsAchievementEntity = new EntitySchema({
  name: 'AnalyticsAchievement',
  tableName: 'tessera_analytics_achievements',
  columns: {
    achievementId: byteOrdered({ name: 'achievement_id', primary: true }),
    issuerId: byteOrdered({ name: 'issuer_id', nullable: true }),
    counters: { type: 'jsonb' },
    position: bigint(),
  },
  indices: [{ name: 'tessera_analytics_achievements_issuer', columns: ['issuerId', 'achievementId'] }],
});

/** Analytics: one learner's entry of an achievement's folded state. */
export const AnalyticsLearnerEntity = new EntitySchema({
  name: 'AnalyticsLearner',
  tableName: 'tessera_analytics_learners',
  columns: {
    achievementId: byteOrdered({ name: 'achievement_id', primary: true }),
    learnerId: byteOrdered({ name: 'learner_id', primary: true }),
    entry: { type: 'jsonb' },
  },
});

export interface IssuerKeyRow {
  issuerId: string;
  kid: string;
  publicJwk: object;
  privateJwkEncrypted: string;
  createdAt: Date;
}

export const IssuerKeyEntity = new EntitySchema<IssuerKeyRow>({
  name: 'IssuerKey',
  tableName: 'tessera_issuer_keys',
  columns: {
    issuerId: text({ name: 'issuer_id' }),
    kid: text({ primary: true }),
    publicJwk: { type: 'jsonb', name: 'public_jwk' },
    privateJwkEncrypted: text({ name: 'private_jwk_encrypted' }),
    createdAt: { ...createdNow(), name: 'created_at' },
  },
  indices: [{ name: 'tessera_issuer_keys_by_issuer', columns: ['issuerId', 'createdAt'] }],
});

export const StatusEntryEntity = new EntitySchema({
  name: 'StatusEntry',
  tableName: 'tessera_status_entries',
  columns: {
    credentialKey: text({ name: 'credential_key', primary: true }),
    issuerId: text({ name: 'issuer_id' }),
    listId: { type: 'integer', name: 'list_id' },
    statusIndex: { type: 'integer', name: 'status_index' },
    allocatedAt: { ...createdNow(), name: 'allocated_at' },
  },
  uniques: [
    {
      name: 'tessera_status_entries_issuer_id_list_id_status_index_key',
      columns: ['issuerId', 'listId', 'statusIndex'],
    },
  ],
  checks: [
    { name: 'tessera_status_entries_list_id_check', expression: 'list_id >= 1' },
    { name: 'tessera_status_entries_status_index_check', expression: 'status_index >= 0' },
  ],
});

export interface LearnerProfileRow {
  learnerId: string;
  name: string;
  email: string;
  identitySalt: string;
  xapiHomePage: string | null;
  xapiAccountName: string | null;
  emailSha1: string | null;
  updatedAt: Date;
}

export const LearnerProfileEntity = new EntitySchema<LearnerProfileRow>({
  name: 'LearnerProfile',
  tableName: 'tessera_learner_profiles',
  columns: {
    learnerId: text({ name: 'learner_id', primary: true }),
    name: text(),
    email: text(),
    identitySalt: text({ name: 'identity_salt' }),
    xapiHomePage: text({ name: 'xapi_home_page', nullable: true }),
    xapiAccountName: text({ name: 'xapi_account_name', nullable: true }),
    // The email's xAPI mbox_sha1sum (SHA-1 of `mailto:` + the email in lower case), set by the api.
    emailSha1: text({ name: 'email_sha1', nullable: true }),
    updatedAt: { ...createdNow(), name: 'updated_at' },
  },
  indices: [
    // The learner an xAPI statement's actor is: by account, or by mbox (`lower(email)`, which the migration says).
    { name: 'tessera_learner_profiles_xapi_account', columns: ['xapiHomePage', 'xapiAccountName'], unique: true },
    { name: 'tessera_learner_profiles_email', columns: ['email'], synchronize: false },
    { name: 'tessera_learner_profiles_email_sha1', columns: ['emailSha1'] },
  ],
});

export interface LearnerFingerprintKeyRow {
  learnerId: string;
  key: string;
}

export const LearnerFingerprintKeyEntity = new EntitySchema<LearnerFingerprintKeyRow>({
  name: 'LearnerFingerprintKey',
  tableName: 'tessera_learner_fingerprint_keys',
  columns: {
    learnerId: text({ name: 'learner_id', primary: true }),
    key: text(),
  },
});

export const IdempotencyEntity = new EntitySchema({
  name: 'IdempotencyRecord',
  tableName: 'tessera_idempotency',
  columns: {
    subject: text({ primary: true }),
    key: text({ primary: true }),
    requestHash: text({ name: 'request_hash' }),
    status: { type: 'integer', nullable: true },
    // json, not jsonb: a replay repeats the first answer byte for byte, key order included.
    body: { type: 'json', nullable: true },
    createdAt: { ...createdNow(), name: 'created_at' },
  },
});

export interface ExpirySweepRow {
  name: string;
  sweptUntil: Date;
}

export const ExpirySweepEntity = new EntitySchema<ExpirySweepRow>({
  name: 'ExpirySweep',
  tableName: 'tessera_expiry_sweep',
  columns: {
    name: text({ primary: true }),
    sweptUntil: timestamptz({ name: 'swept_until' }),
  },
});

const jsonb = (options: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
  type: 'jsonb',
  ...options,
});
const oauthClientRef = (table: string) => ({
  type: 'many-to-one' as const,
  target: 'OAuthClient',
  joinColumn: { name: 'client_id', foreignKeyConstraintName: `${table}_client_id_fkey` },
  nullable: false,
  onDelete: 'CASCADE' as const,
});

/** OB 3.0 API clients: wallets (dynamic registration) and an issuer's systems (client credentials, `issuerId`). */
export const OAuthClientEntity = new EntitySchema({
  name: 'OAuthClient',
  tableName: 'tessera_oauth_clients',
  columns: {
    clientId: text({ name: 'client_id', primary: true }),
    secretHash: text({ name: 'secret_hash', nullable: true }),
    clientName: text({ name: 'client_name' }),
    redirectUris: jsonb({ name: 'redirect_uris' }),
    grants: jsonb(),
    scopes: jsonb(),
    issuerId: text({ name: 'issuer_id', nullable: true }),
    createdBy: text({ name: 'created_by', nullable: true }),
    createdAt: { ...createdNow(), name: 'created_at' },
  },
});

/** Codes and tokens belong to a client: deleting the client deletes them (`client_id`, a foreign key). */
interface OAuthClientOwned {
  client: unknown;
}

export const OAuthCodeEntity = new EntitySchema<OAuthClientOwned & Record<string, unknown>>({
  name: 'OAuthCode',
  tableName: 'tessera_oauth_codes',
  columns: {
    codeHash: text({ name: 'code_hash', primary: true }),
    learnerId: text({ name: 'learner_id' }),
    scopes: jsonb(),
    redirectUri: text({ name: 'redirect_uri' }),
    codeChallenge: text({ name: 'code_challenge' }),
    codeChallengeMethod: text({ name: 'code_challenge_method' }),
    expiresAt: timestamptz({ name: 'expires_at' }),
  },
  relations: { client: oauthClientRef('tessera_oauth_codes') },
});

export const OAuthTokenEntity = new EntitySchema<OAuthClientOwned & Record<string, unknown>>({
  name: 'OAuthToken',
  tableName: 'tessera_oauth_tokens',
  columns: {
    accessTokenHash: text({ name: 'access_token_hash', primary: true }),
    refreshTokenHash: text({ name: 'refresh_token_hash', nullable: true, unique: true }),
    learnerId: text({ name: 'learner_id', nullable: true }),
    issuerId: text({ name: 'issuer_id', nullable: true }),
    scopes: jsonb(),
    accessExpiresAt: timestamptz({ name: 'access_expires_at' }),
    refreshExpiresAt: timestamptz({ name: 'refresh_expires_at', nullable: true }),
  },
  relations: { client: oauthClientRef('tessera_oauth_tokens') },
});

/** Credentials a learner's wallet upserted from elsewhere (OB 3.0 API): kept, never counted in stacking. */
export const ExternalCredentialEntity = new EntitySchema({
  name: 'ExternalCredential',
  tableName: 'tessera_external_credentials',
  columns: {
    learnerId: text({ name: 'learner_id', primary: true }),
    credentialId: text({ name: 'credential_id', primary: true }),
    issuer: text(),
    format: text(),
    credential: text(),
    signatureVerified: { type: 'boolean', name: 'signature_verified' },
    validFrom: timestamptz({ name: 'valid_from', nullable: true }),
    receivedAt: { ...createdNow(), name: 'received_at' },
  },
  checks: [{ name: 'tessera_external_credentials_format_check', expression: "format IN ('json', 'jwt')" }],
});

/**
 * xAPI statements as received (personal data: deleted with the learner's profile). `outcome`: matched (evidence
 * made), unmatched (no mapping), unknown-actor (no learner), voiding; `evidence` the evidence it made, `assessed` the
 * criteria its score assessed; `processed` once the ledger holds what it made.
 */
export const XapiStatementEntity = new EntitySchema({
  name: 'XapiStatement',
  tableName: 'tessera_xapi_statements',
  columns: {
    statementId: text({ name: 'statement_id', primary: true }),
    issuerId: text({ name: 'issuer_id' }),
    clientId: text({ name: 'client_id' }),
    statement: jsonb(),
    digest: text(),
    learnerId: text({ name: 'learner_id', nullable: true }),
    outcome: text(),
    evidence: jsonb({ default: () => "'[]'" }),
    assessed: jsonb({ default: () => "'[]'" }),
    voidedBy: text({ name: 'voided_by', nullable: true }),
    processed: { type: 'boolean', default: false },
    storedAt: { ...createdNow(), name: 'stored_at' },
    // The order statements were stored in: what the statement query pages by (its `more` cursor is a seq). An
    // identity column (GENERATED ALWAYS, the migration says): EntitySchema hands `generated` on to TypeORM, whose
    // PostgreSQL driver knows 'identity', though EntitySchemaColumnOptions' type does not list it.
    seq: bigint({ generated: 'identity' as 'increment' }),
  },
  indices: [
    { name: 'tessera_xapi_statements_issuer', columns: ['issuerId', 'outcome', 'storedAt'] },
    { name: 'tessera_xapi_statements_learner', columns: ['learnerId'] },
    { name: 'tessera_xapi_statements_issuer_seq', columns: ['issuerId', 'seq'] },
  ],
});

export const READ_SIDE_ENTITIES = [
  CheckpointEntity,
  StreamSummaryEntity,
  AchievementCatalogueEntity,
  PathwayCatalogueEntity,
  AwardIndexEntity,
  TranscriptEntity,
  TranscriptAwardEntity,
  DefinitionIssuerEntity,
  LearnerStreamEntity,
  AnalyticsAchievementEntity,
  AnalyticsLearnerEntity,
  IssuerKeyEntity,
  StatusEntryEntity,
  LearnerProfileEntity,
  LearnerFingerprintKeyEntity,
  IdempotencyEntity,
  ExpirySweepEntity,
  OAuthClientEntity,
  OAuthCodeEntity,
  OAuthTokenEntity,
  ExternalCredentialEntity,
  XapiStatementEntity,
];

/** An entity's table. */
export const tableOf = (entity: EntitySchema): string => entity.options.tableName ?? entity.options.name;
