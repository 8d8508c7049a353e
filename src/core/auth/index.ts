export * from './errors';
export * from './pkce';
export * from './loopback';
export * from './oauth';
export * from './tokens';
export * from './tokenManager';
export * from './signIn';
