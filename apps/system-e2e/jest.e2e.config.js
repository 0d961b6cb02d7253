const { jestConfig } = require('../../jest.preset');

// The three apps as processes, driven through the gateway only (both run modes).
module.exports = jestConfig({
  displayName: 'system-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  e2e: true,
});
