import type { BrowserContext } from 'playwright-core';
import type { RunningSandbox } from '../../src/core/sandbox';
import type { Workbench } from './workbench';

/** What every scenario gets: the workbench page, the sandbox the harness started, and folders. */
export interface ScenarioContext {
  readonly wb: Workbench;
  readonly browser: BrowserContext;
  /** The sandbox that the harness started for this run (the extension may start its own too). */
  readonly sandbox: RunningSandbox;
  /** A copy of samples/ that the scenarios may change. */
  readonly workspace: string;
  /** Where scenarios may write files (exports). */
  readonly scratch: string;
  /** The code-server user data dir (settings, globalStorage). */
  readonly userDataDir: string;
  log(line: string): void;
}

export interface Scenario {
  /** 0–7 as in issue 8; 10: request files as tests (issue 20). */
  readonly id: number;
  readonly title: string;
  run(ctx: ScenarioContext): Promise<void>;
}

export class AssertionError extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
