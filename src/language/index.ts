import * as vscode from 'vscode';
import { CatalogSource, Edition } from '../core/catalog';
import { LanguageContext } from '../core/language';
import type { VariableContext } from '../core/requestFile';
import { Commands } from '../commandIds';
import { EnvironmentSource } from './environments';
import { Disposable } from '../lifecycle';
import { LiveFields } from './liveFields';
import { DocumentAnalyses, RequestLanguageProviders } from './providers';
import { ExpectedRequest, ResponseInfo, SendContext, SendController } from './sendController';
import type { ApiSender } from '../connections/apiSender';
import type { HttpResponse } from '../core/http/types';
import { checkTrusted } from '../connections/trust';
import type { SecretRegistry } from '../core/http/redact';

export { DocumentAnalyses } from './providers';
export type { ResponseInfo, SendContext } from './sendController';

/** What the request language needs from the rest of the extension. */
export interface RequestLanguageDeps {
  /** Read on the first completion, hover or diagnostic, not when the language is registered. */
  readonly catalog: CatalogSource;
  readonly sender: ApiSender;
  /** The active connection, site and company, with the edition for Professional-only checks. */
  readonly activeContext: () => (SendContext & { readonly edition?: Edition }) | undefined;
  readonly onDidChangeActiveContext: vscode.Event<unknown>;
  /** The response viewer. */
  readonly showResponse: (response: HttpResponse, info: ResponseInfo) => unknown;
  readonly accessToken: (connectionId?: string) => Promise<string | undefined>;
  /** Whether a connection has a session; live `$metadata` is only read for signed-in connections. */
  readonly isSignedIn: (connectionId: string) => Promise<boolean>;
  /** Where Send registers `$dotenv` and `$prompt` values as secrets. */
  readonly secrets: SecretRegistry;
}

/**
 * Everything for `.sage200` files: providers, the Send commands and the environment picker. One
 * analysis cache serves them all.
 */
export class RequestLanguage extends Disposable {
  /** Send, Send all, Cancel, Copy as …, Select Environment: for extension.ts's command map. */
  readonly commands: Record<string, (...args: unknown[]) => unknown>;
  private ctx?: LanguageContext;
  private readonly live: LiveFields;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly envs: EnvironmentSource;

  constructor(private readonly deps: RequestLanguageDeps, state: vscode.Memento) {
    super();
    const analyses = new DocumentAnalyses();
    // The setting and http-client.env.json files; Restricted Mode ignores the workspace's, trusting the folder brings them in.
    this.envs = this._register(new EnvironmentSource(state, (values) => values.forEach((v) => deps.secrets.add(v))));
    this._register(this.envs.onDidChange(() => this.invalidate()));
    this._register(deps.onDidChangeActiveContext(() => this.invalidate()));
    this.live = this._register(new LiveFields(deps.catalog, deps.sender, deps.isSignedIn));
    this._register(this.live.onDidChange(() => this.invalidate()));
    this._register(new RequestLanguageProviders(analyses, () => this.languageContext(), this.changed.event));
    const send = this._register(new SendController({
      analyses,
      sender: deps.sender,
      context: () => deps.activeContext() ?? {},
      variables: this.variables,
      showResponse: deps.showResponse,
      accessToken: deps.accessToken,
      secrets: deps.secrets,
    }));
    this.commands = {
      // Resolving a request reads `.env` ({{$dotenv}}) and sending uses credentials: both need a
      // trusted workspace. Editing, completion, diagnostics and hover do not.
      [Commands.sendRequest]: (uri, index, expected) => checkTrusted(sending()) && send.send(asUri(uri), asIndex(index), asExpected(expected)),
      [Commands.sendAllRequests]: (uri) => checkTrusted(sending()) && send.sendAll(asUri(uri)),
      [Commands.cancelRequest]: () => {
        if (!send.cancelAll()) void vscode.window.setStatusBarMessage(vscode.l10n.t('Sage 200: no request is running'), 3000);
      },
      [Commands.copyAsCurl]: (uri, index) => checkTrusted(copying()) && send.copyAsCurl(asUri(uri), asIndex(index), false),
      [Commands.copyAsCurlWithSecrets]: (uri, index) => checkTrusted(copying()) && send.copyAsCurl(asUri(uri), asIndex(index), true),
      [Commands.copyAsCode]: (uri, index) => checkTrusted(copying()) && send.copyAsCode(asUri(uri), asIndex(index)),
      [Commands.selectEnvironment]: () => this.envs.pick(),
    };
  }

  /** The environments and the active one, as Send resolves variables; the Test Explorer runs with the same. */
  readonly variables = (): Pick<VariableContext, 'environments' | 'environment'> => {
    const environment = this.envs.active();
    return { environments: this.envs.environments(), ...(environment ? { environment } : {}) };
  };

  private invalidate(): void {
    this.ctx = undefined;
    this.changed.fire();
  }

  /** Stable between changes, so the diagnostics cache can compare contexts by identity. */
  private languageContext(): LanguageContext {
    if (!this.ctx) {
      const active = this.deps.activeContext();
      this.ctx = {
        catalog: this.deps.catalog(),
        ...this.variables(),
        ...(active?.edition ? { edition: active.edition } : {}),
        extraFields: (schema: string) => this.live.get(active?.connectionId, schema),
      };
    }
    return this.ctx;
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

function asExpected(v: unknown): ExpectedRequest | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const x = v as Partial<Record<keyof ExpectedRequest, unknown>>;
  if (typeof x.method !== 'string' || typeof x.url !== 'string') return undefined;
  return {
    method: x.method,
    url: x.url,
    ...(typeof x.requestName === 'string' ? { requestName: x.requestName } : {}),
    ...(typeof x.connectionId === 'string' ? { connectionId: x.connectionId } : {}),
  };
}
