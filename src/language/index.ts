import * as vscode from 'vscode';
import { Catalog, Edition } from '../core/catalog';
import { LanguageContext } from '../core/language';
import { Environments } from '../core/requestFile';
import { EnvironmentSource } from './environments';
import { Disposable } from '../lifecycle';
import { LiveFields } from './liveFields';
import { DocumentAnalyses, RequestLanguageProviders } from './providers';
import { ResponseInfo, SendContext, SendController } from './sendController';
import type { ApiSender } from '../connections/apiSender';
import type { HttpResponse } from '../core/http/types';
import { checkTrusted } from '../connections/trust';
import type { SecretRegistry } from '../core/http/redact';

export { DocumentAnalyses } from './providers';
export type { ResponseInfo, SendContext } from './sendController';

/** What the request language needs from the rest of the extension; all optional but the catalog. */
export interface RequestLanguageDeps {
  readonly catalog: Catalog;
  readonly sender?: ApiSender;
  /** The active connection, site and company, with the edition for Professional-only checks. */
  readonly activeContext?: () => (SendContext & { readonly edition?: Edition }) | undefined;
  readonly onDidChangeActiveContext?: vscode.Event<unknown>;
  readonly showResponse?: (response: HttpResponse, info: ResponseInfo) => unknown;
  readonly accessToken?: (connectionId?: string) => Promise<string | undefined>;
  /** Whether a connection has a session; live `$metadata` is only read for signed-in connections. */
  readonly isSignedIn?: (connectionId: string) => Promise<boolean>;
  /** Where Send registers `$dotenv` and `$prompt` values as secrets. */
  readonly secrets?: SecretRegistry;
}

/**
 * Registers everything for `.sage200` files: providers, the Send commands and the environment
 * picker. One analysis cache serves them all.
 */
export class RequestLanguage extends Disposable {
  private ctx?: LanguageContext;
  private live?: LiveFields;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly envs: EnvironmentSource;

  constructor(private readonly deps: RequestLanguageDeps, state: vscode.Memento) {
    super();
    const analyses = new DocumentAnalyses();
    // The setting and http-client.env.json files; Restricted Mode ignores the workspace's, trusting the folder brings them in.
    this.envs = this._register(new EnvironmentSource(state, (values) => values.forEach((v) => deps.secrets?.add(v))));
    this._register(this.envs.onDidChange(() => this.invalidate()));
    if (deps.onDidChangeActiveContext) this._register(deps.onDidChangeActiveContext(() => this.invalidate()));
    if (deps.sender && deps.isSignedIn) {
      this.live = this._register(new LiveFields(deps.catalog, deps.sender, deps.isSignedIn));
      this._register(this.live.onDidChange(() => this.invalidate()));
    }
    this._register(new RequestLanguageProviders(analyses, () => this.languageContext(), this.changed.event));
    const send = this._register(new SendController({
      analyses,
      ...(deps.sender ? { sender: deps.sender } : {}),
      context: () => deps.activeContext?.() ?? {},
      variables: () => ({ environments: this.environments(), ...(this.activeEnvironment() ? { environment: this.activeEnvironment() } : {}) }),
      ...(deps.showResponse ? { showResponse: deps.showResponse } : {}),
      ...(deps.accessToken ? { accessToken: deps.accessToken } : {}),
      ...(deps.secrets ? { secrets: deps.secrets } : {}),
    }));
    const commands: Record<string, (...args: unknown[]) => unknown> = {
      // Resolving a request reads `.env` ({{$dotenv}}) and sending uses credentials: both need a
      // trusted workspace. Editing, completion, diagnostics and hover do not.
      'sage200.sendRequest': (uri, index) => checkTrusted(sending()) && send.send(asUri(uri), asIndex(index)),
      'sage200.sendAllRequests': (uri) => checkTrusted(sending()) && send.sendAll(asUri(uri)),
      'sage200.cancelRequest': () => {
        if (!send.cancelAll()) void vscode.window.setStatusBarMessage(vscode.l10n.t('Sage 200: no request is running'), 3000);
      },
      'sage200.copyAsCurl': (uri, index) => checkTrusted(copying()) && send.copyAsCurl(asUri(uri), asIndex(index), false),
      'sage200.copyAsCurlWithSecrets': (uri, index) => checkTrusted(copying()) && send.copyAsCurl(asUri(uri), asIndex(index), true),
      'sage200.copyAsCode': (uri, index) => checkTrusted(copying()) && send.copyAsCode(asUri(uri), asIndex(index)),
      'sage200.selectEnvironment': () => this.pickEnvironment(),
    };
    for (const [id, handler] of Object.entries(commands)) this._register(vscode.commands.registerCommand(id, handler));
  }

  private environments(): Environments {
    return this.envs.environments();
  }

  private activeEnvironment(): string | undefined {
    return this.envs.active();
  }

  private invalidate(): void {
    this.ctx = undefined;
    this.changed.fire();
  }

  /** Stable between changes, so the diagnostics cache can compare contexts by identity. */
  private languageContext(): LanguageContext {
    if (!this.ctx) {
      const active = this.deps.activeContext?.();
      const env = this.activeEnvironment();
      this.ctx = {
        catalog: this.deps.catalog,
        environments: this.environments(),
        ...(env ? { environment: env } : {}),
        ...(active?.edition ? { edition: active.edition } : {}),
        ...(this.live ? { extraFields: (schema: string) => this.live?.get(active?.connectionId, schema) } : {}),
      };
    }
    return this.ctx;
  }

  private async pickEnvironment(): Promise<void> {
    await this.envs.pick();
  }
}

const sending = (): string => vscode.l10n.t('Sending a request (with its $dotenv values)');
const copying = (): string => vscode.l10n.t('Copying a resolved request (with its $dotenv values)');

function asUri(v: unknown): vscode.Uri | undefined {
  return v instanceof vscode.Uri ? v : undefined;
}

function asIndex(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
