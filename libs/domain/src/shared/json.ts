/**
 * JSON as the event store keeps it. Event data in this lib is typed with `type` aliases (not interfaces) and mutable
 * arrays so that every event's data is assignable to `JsonObject` — the same shape as the store port's.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
