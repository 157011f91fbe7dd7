import { SetMetadata } from '@nestjs/common';

export const PERSONAL_DATA_OF = 'tessera:personal-data-of';

/**
 * This route's body carries the personal data of the learner named by the route parameter: its Idempotency-Key
 * fingerprint (and so its command and event ids) is keyed by that learner's fingerprint key, which erasure deletes.
 */
export const PersonalDataOf = (learnerParam: string) => SetMetadata(PERSONAL_DATA_OF, learnerParam);

export const SECRET_FIELD = 'tessera:secret-field';

/**
 * The answer holds a secret told once (an xAPI client's): the answer kept for an Idempotency-Key replay leaves that
 * field out, so the secret is never stored, and a replay says who was made without saying the secret again.
 */
export const AnswersSecretOnce = (field: string) => SetMetadata(SECRET_FIELD, field);

export const KEPT_BY_THE_LEDGER = 'tessera:kept-by-the-ledger';

/**
 * The routes' Idempotency-Keys are kept by the ledger (StreamCommands, CommandContext.idempotency): in the command's
 * own read and append, no claim before it and no answer after it. For routes that write only through stream commands
 * and answer only from their outcomes (events, position), so that a replay, made again from the events found, is the
 * first answer. On a store that keeps no keys (EventStoreDB) such a route is keyed like any other.
 */
export const KeptByTheLedger = () => SetMetadata(KEPT_BY_THE_LEDGER, true);
