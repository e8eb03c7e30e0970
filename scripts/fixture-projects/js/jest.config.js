// Jest runs the native ESM sources (node --experimental-vm-modules), so no transform.
export default {
  testMatch: ['<rootDir>/test/jest/**/*.test.js'],
  transform: {},
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.js'],
};
