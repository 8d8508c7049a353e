/** The part of newman's programmatic API the import tests use (newman ships no types). */
declare module 'newman' {
  import type { CollectionDefinition, Item } from 'postman-collection';

  export interface NewmanRunExecution {
    readonly item: Item;
    readonly response?: { readonly code: number; readonly stream?: Buffer };
    readonly requestError?: Error;
    /** The item's `pm.test` results, in the order they ran. */
    readonly assertions?: { readonly assertion: string; readonly skipped?: boolean; readonly error?: { readonly message: string } }[];
  }

  export interface NewmanRunFailure {
    readonly error: { readonly message: string };
    readonly source?: { readonly name?: string };
  }

  export interface NewmanRunSummary {
    readonly run: { readonly executions: NewmanRunExecution[]; readonly failures: NewmanRunFailure[] };
  }

  export interface NewmanRunOptions {
    readonly collection: CollectionDefinition | string;
    readonly envVar?: { key: string; value: string }[];
    readonly reporters?: string[];
    readonly timeoutRequest?: number;
  }

  export function run(options: NewmanRunOptions, callback: (err: Error | null, summary: NewmanRunSummary) => void): unknown;
}
