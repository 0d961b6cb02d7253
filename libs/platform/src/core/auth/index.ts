/** `cview/use-role` (HTTP Basic users with roles), shared by gms and ucs; framework-free. */
export * from './access-rule';
export * from './credentials';
export * from './json-source';
export * from './password-hash';
export * from './users';
export * from './users-env';
