/** DI tokens for what the api opens before Nest starts. */
export const EVENT_STORE = Symbol('EventStore');
export const SQL_CLIENT = Symbol('SqlClient');
export const TESSERA_CONFIG = Symbol('TesseraConfig');
/** The LearnerChanges of this process: what the caches of answers about learners hear (learner-changes.ts). */
export const LEARNER_CHANGES = Symbol('LearnerChanges');
