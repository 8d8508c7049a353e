import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import { Disposable } from '../lifecycle';
import { Commands } from '../commandIds';
import type { RunningSandbox, SandboxOptions } from '../core/sandbox';
import { showError } from '../notify';

/**
 * The sandbox's server is loaded when the user starts it, not at activation: in the packaged
 * extension it is a bundle of its own (dist/sandbox.js, see esbuild.js), and most sessions never
 * start it.
 */
function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sandbox = require('../core/sandbox') as typeof import('../core/sandbox');
  return sandbox.startSandbox(options);
}

export interface SandboxFeatureOptions {
  readonly log: { info(m: string): void; error(m: string | Error): void };
  /** Where the demo data's changes are kept between sessions (the extension's global storage). */
  readonly storageDir: string;
  /** For tests: replaces the real server. */
  readonly start?: (options: SandboxOptions) => Promise<RunningSandbox>;
}

/**
 * "Sage 200: Start Demo Sandbox" / "Stop Demo Sandbox": runs the sandbox inside the extension host
 * on a free 127.0.0.1 port. Listeners (the connection list, the explorer) follow `onDidChange` to
 * offer the "Demo sandbox" connection exactly while it runs.
 */
export class SandboxFeature extends Disposable {
  private readonly emitter = this._register(new vscode.EventEmitter<RunningSandbox | undefined>());
  readonly onDidChange: vscode.Event<RunningSandbox | undefined> = this.emitter.event;
  readonly commands: Record<string, (...args: unknown[]) => unknown>;
  private current: RunningSandbox | undefined;
  private starting: Promise<RunningSandbox> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: SandboxFeatureOptions) {
    super();
    this.commands = {
      [Commands.startSandbox]: () => this.startCommand(),
      [Commands.stopSandbox]: () => this.stopCommand(),
    };
    this._register({ dispose: () => { void this.stop(); } });
  }

  get running(): RunningSandbox | undefined {
    return this.current;
  }

  /** Starts the sandbox, or returns the running one. Concurrent calls share one start. */
  start(): Promise<RunningSandbox> {
    if (this.current) return Promise.resolve(this.current);
    this.starting ??= (async () => {
      try {
        await this.stopping;
        await fs.promises.mkdir(this.options.storageDir, { recursive: true });
        const dataFile = path.join(this.options.storageDir, 'sandbox-data.json');
        const running = await (this.options.start ?? startSandbox)({ port: 0, dataFile });
        this.current = running;
        this.options.log.info(`Demo sandbox listening on ${running.url}`);
        this.emitter.fire(running);
        return running;
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  /** Stops the sandbox if it runs (its data changes are saved first). */
  async stop(): Promise<void> {
    const running = this.current ?? (await this.starting?.catch(() => undefined));
    if (!running) return;
    this.current = undefined;
    this.stopping = running.close().catch((e: unknown) => this.options.log.error(e instanceof Error ? e : String(e)));
    await this.stopping;
    this.options.log.info('Demo sandbox stopped');
    this.emitter.fire(undefined);
  }

  private async startCommand(): Promise<RunningSandbox | undefined> {
    try {
      const wasRunning = this.current !== undefined;
      const running = await this.start();
      void vscode.window.showInformationMessage(wasRunning
        ? vscode.l10n.t('The demo sandbox is already running at {0}.', running.url)
        : vscode.l10n.t('The demo sandbox is running at {0}. Sign in to the "Demo sandbox" connection to use it.', running.url));
      return running;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.options.log.error(`Could not start the demo sandbox: ${message}`);
      showError(vscode.l10n.t('Could not start the demo sandbox: {0}', message), 'showLog');
      return undefined;
    }
  }

  private async stopCommand(): Promise<void> {
    if (!this.current && !this.starting) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The demo sandbox is not running.'));
      return;
    }
    await this.stop();
    void vscode.window.showInformationMessage(vscode.l10n.t('The demo sandbox has stopped.'));
  }
}
