const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'ucs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
