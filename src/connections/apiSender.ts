import type { Sage200Api } from './sage200Api';

/**
 * "Something that sends a request to the Sage 200 API" as Send, the explorer and the response viewer
 * need it. Sage200Api is the one implementation; tests pass any object with the same `send`.
 */
export type ApiSender = Pick<Sage200Api, 'send'>;
