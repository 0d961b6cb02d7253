const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'gateway',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
