// TypeScript ESM through swc: fast, no type-check (that is `npm run typecheck`).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/artifacts/'],
  modulePathIgnorePatterns: ['<rootDir>/artifacts/', '<rootDir>/.cache/'],
  testTimeout: 120000,
};
