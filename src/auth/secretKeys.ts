/** SecretStorage keys: one per connection and purpose, so that one connection's secrets never mix with another's. */
export const sessionKey = (connectionId: string): string => `sage200.session.${connectionId}`;
export const clientSecretKey = (connectionId: string): string => `sage200.clientSecret.${connectionId}`;
export const subscriptionKeyKey = (connectionId: string): string => `sage200.subscriptionKey.${connectionId}`;
export const SESSION_KEY_PREFIX = 'sage200.session.';
