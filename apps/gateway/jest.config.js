// The shared preset is workspace tooling, not a project import.
// eslint-disable-next-line @nx/enforce-module-boundaries
const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'gateway',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
