const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'platform',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
