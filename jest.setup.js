require('reflect-metadata');
// Tests log only what goes wrong unless LOG_LEVEL asks for more.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
