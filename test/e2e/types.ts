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

/** What a scenario needs set up before code-server and the browser start. */
export interface Preparation {
  /** Variables for code-server's environment, as a user sets them before starting the editor. */
  readonly env?: Record<string, string>;
  /**
   * The browser accepts certificates from an authority it does not know. Whether a person's
   * browser trusts their network's authority is the system's business, not the extension's.
   */
  readonly browserAcceptsTestAuthority?: boolean;
}

export interface Scenario {
  /** 0–7 as in issue 8; 10: request files as tests (issue 20); 11: through a proxy (issue 23). */
  readonly id: number;
  readonly title: string;
  /** Runs once, in the run's folder, before code-server starts (only when the scenario is selected). */
  prepare?(runDir: string): Preparation;
  run(ctx: ScenarioContext): Promise<void>;
}

export class AssertionError extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
