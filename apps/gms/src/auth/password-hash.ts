// The hashing lives in @cs/platform/core (shared with ucs); this path stays for the gms e2e suites.
export { hashPassword } from '@cs/platform/core';
