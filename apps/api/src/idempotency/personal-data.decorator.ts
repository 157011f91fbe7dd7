import { SetMetadata } from '@nestjs/common';

export const PERSONAL_DATA_OF = 'tessera:personal-data-of';

/**
 * This route's body carries the personal data of the learner named by the route parameter: its Idempotency-Key
 * fingerprint (and so its command and event ids) is keyed by that learner's fingerprint key, which erasure deletes.
 */
export const PersonalDataOf = (learnerParam: string) => SetMetadata(PERSONAL_DATA_OF, learnerParam);
