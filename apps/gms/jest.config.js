const { jestConfig } = require('../../jest.preset');

module.exports = jestConfig({
  displayName: 'gms',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
