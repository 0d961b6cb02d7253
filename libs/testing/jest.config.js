const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'testing',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
