const { jestConfig } = require('../../jest.preset');

// Deployment checks: k8s manifests rendered and validated offline, Dockerfile/compose shape, the
// production build started from its output, graceful shutdown under load.
module.exports = {
  ...jestConfig({
    displayName: 'deploy-e2e',
    rootDir: __dirname,
    testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    e2e: true,
  }),
  // The build-output suite builds three bundles and installs their production dependencies.
  testTimeout: 600000,
};
