/** One Jest run: pure specs, PostgreSQL integration specs and end-to-end tests. */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // ESM-only packages: the RDF/JS stack the SHACL tests use, and the JSON-LD signing packages. Node >= 20.19
    // require()s them natively at run time, but Jest's module system cannot before Node 24.9: Jest transpiles them.
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(rdf-validate-shacl|rdf-validate-datatype|clownface|@rdfjs|@tpluscode|@vocabulary|@zazuko|@digitalbazaar|@digitalcredentials|base58-universal|base64url-universal|ky)/)',
  ],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/(domain|event-store|read-models|config|application|credentials)$': '<rootDir>/libs/$1/src',
    '^@app/(domain|event-store|read-models|config|application|credentials)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
