/**
 * `npm run test:eventstoredb`: the event-store contract against the EventStoreDB server at EVENTSTORE_URL, alone and in
 * band, so that no other writer shares the server while the contract counts what it wrote. Kept out of `npm test`;
 * without EVENTSTORE_URL it reports the run skipped. It needs no PostgreSQL.
 */
/* global module, require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest reads this file as CommonJS
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: 'libs/event-store/src/eventstoredb/.*\\.esdb-spec\\.ts$',
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
  verbose: true,
};
