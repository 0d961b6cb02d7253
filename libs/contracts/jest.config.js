const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'contracts',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
