const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// One bundle per app (libs inlined, node_modules external) plus a generated package.json for the image.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/ucs'), clean: true },
  devtool: 'source-map',
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      // The image's migration step (k8s Job, compose one-shot): dist/apps/ucs/migrate.js.
      additionalEntryPoints: [
        { entryName: 'migrate', entryPath: join(__dirname, '../../tools/deploy/ucs-migrate.ts') },
      ],
      generatePackageJson: true,
      // TypeORM loads its drivers by name at run time, so the import graph does not show them.
      runtimeDependencies: ['mysql2', 'better-sqlite3'],
      sourceMap: true,
    }),
  ],
};
