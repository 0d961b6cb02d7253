const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
const paths = swcrc.jsc.paths;

/** Shared jest settings: SWC transform (with decorator metadata) and the tsconfig path aliases. */
function jestConfig({ displayName, rootDir, testMatch, e2e = false }) {
  return {
    displayName,
    rootDir,
    testMatch,
    testEnvironment: 'node',
    transform: {
      '^.+\\.ts$': ['@swc/jest', { ...swcrc, jsc: { ...swcrc.jsc, baseUrl: __dirname }, swcrc: false }],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: Object.fromEntries(
      Object.entries(paths).map(([alias, [target]]) => [
        `^${alias.replace('/', '\\/')}$`,
        join(__dirname, target),
      ]),
    ),
    testTimeout: e2e ? 60000 : 10000,
    // An e2e suite that leaves a socket open must not hang CI after its tests have passed.
    ...(e2e ? { forceExit: true } : {}),
    setupFiles: [join(__dirname, 'jest.setup.js')],
    ...(e2e ? { globalSetup: join(__dirname, 'jest.global-setup.js') } : {}),
  };
}

module.exports = { jestConfig };
