/**
 * The Sage 200 sandbox: a local emulator of the Sage 200 API and of Sage ID sign-in, on Node's http
 * server at 127.0.0.1. `startSandbox` is the one entry point (tests, benchmarks, `npm run sandbox`,
 * and the extension's "Start Demo Sandbox" command).
 */
export * from './types';
export { startSandbox, demoCompanies, parseFaults, MAX_BODY_BYTES } from './server';
export { DUPLICATE_REFERENCE } from './api';
export { HOSTILE_STRINGS, hostileBigString } from './demoData';
export { SAGE_AUDIENCE } from './auth';
