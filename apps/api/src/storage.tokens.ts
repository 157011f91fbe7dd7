/** DI tokens for what the api opens before Nest starts. */
export const EVENT_STORE = Symbol('EventStore');
export const SQL_CLIENT = Symbol('SqlClient');
export const TESSERA_CONFIG = Symbol('TesseraConfig');
