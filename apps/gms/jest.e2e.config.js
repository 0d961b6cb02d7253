const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'gms-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  e2e: true,
});
