// The shared preset is workspace tooling, not a project import.
// eslint-disable-next-line @nx/enforce-module-boundaries
const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'gateway-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  e2e: true,
});
