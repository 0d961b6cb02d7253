const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'ucs-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  e2e: true,
});
