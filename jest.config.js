/** One Jest run: pure specs, PostgreSQL integration specs and end-to-end tests. */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // The RDF/JS stack the SHACL tests use ships ES modules only: compiled to CommonJS for Jest.
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(rdf-validate-shacl|rdf-validate-datatype|clownface|@rdfjs|@tpluscode|@vocabulary|@zazuko)/)',
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
