/** A query that the sandbox answers with an error status (400 for bad OData). */
export class QueryErrorBase extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
