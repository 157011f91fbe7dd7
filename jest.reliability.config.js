/**
 * `npm run test:reliability`: load, bad input, access, faults and erasure against real PostgreSQL. Kept out of
 * `npm test` and run one file at a time, so the load figures are not skewed by other suites on the same CPUs.
 */
/* global module, require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest reads this file as CommonJS
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: 'test/reliability/.*\\.rel-spec\\.ts$',
  maxWorkers: 1,
  testTimeout: 180000,
};
