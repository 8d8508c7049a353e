import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { ConnectionConfig, ConnectionEdition, DEFAULT_AUDIENCE, DEFAULT_AUTHORITY, DEFAULT_SCOPES } from '../core/connections/types';
import { slugify, validateConnection } from '../core/connections/settings';
import { isAuthError } from '../core/auth/errors';
import { allSecretKeys, credentialOriginOf, describeOrigin, sameOrigin } from '../core/connections/credentials';
import type { ActiveContext } from './activeContext';
import { ConnectionManager, SANDBOX_CONNECTION_ID } from './connectionManager';
import { Sage200Api, UserCancelledError } from './sage200Api';
import type { RedactingLog } from './log';
import { SecretKind, promptSecret, secretLabel } from './secretPrompt';
import { checkTrusted } from './trust';

export const ConnectionCommands = Commands;

interface Deps {
  readonly connections: ConnectionManager;
  readonly context: ActiveContext;
  readonly api: Sage200Api;
  readonly secrets: vscode.SecretStorage;
  readonly log: RedactingLog;
}

/** Commands take a connection id, a tree node with `connectionId`/`id`, or nothing (active, else a pick). */
function idFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { connectionId?: unknown; id?: unknown; connection?: { id?: unknown } };
    if (typeof o.connectionId === 'string') return o.connectionId;
    if (o.connection && typeof o.connection.id === 'string') return o.connection.id;
    if (typeof o.id === 'string') return o.id;
  }
  return undefined;
}

async function pickConnection(d: Deps, arg: unknown, placeHolder: string, filter: (c: ConnectionConfig) => boolean = () => true): Promise<ConnectionConfig | undefined> {
  const given = idFromArg(arg);
  if (given) return d.connections.get(given);
  const list = d.connections.list().filter(filter);
  if (list.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no Sage 200 connection yet. Use "Sage 200: Add Connection" or start the demo sandbox.'));
    return undefined;
  }
  if (list.length === 1) return list[0];
  const pick = await vscode.window.showQuickPick(
    list.map((c) => ({ label: c.name, description: `${c.edition}${c.production ? ' · production' : ''}`, c })),
    { placeHolder },
  );
  return pick?.c;
}

/** Runs a command body and turns failures into one clear message (cancellations stay silent). */
function guarded(d: Deps, fn: (arg: unknown) => Promise<unknown>): (arg: unknown) => Promise<unknown> {
  return async (arg) => {
    try {
      return await fn(arg);
    } catch (e) {
      if (e instanceof UserCancelledError || e instanceof vscode.CancellationError || isAuthError(e, 'cancelled')) return undefined;
      const msg = (e as Error).message;
      d.log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
  };
}

async function addConnection(d: Deps): Promise<void> {
  const t = vscode.l10n.t;
  const name = await vscode.window.showInputBox({
    title: t('Add Sage 200 connection (1/5): name'),
    prompt: t('A name you will recognise, e.g. "Live company" or "Test tenant".'),
    validateInput: (v) => (!v.trim() ? t('Enter a name.') : d.connections.list().some((c) => c.name === v.trim()) ? t('A connection with this name exists.') : undefined),
    ignoreFocusOut: true,
  });
  if (!name) return;
  const editions: (vscode.QuickPickItem & { e: ConnectionEdition })[] = [
    { label: 'Sage 200 Standard Online', description: 'standard', e: 'standard' },
    { label: 'Sage 200 Professional', description: t('through Sage\'s API gateway'), e: 'professional' },
    { label: t('Custom base URL'), description: t('LAN or other gateway'), e: 'custom' },
  ];
  const ed = await vscode.window.showQuickPick(editions, { title: t('Add Sage 200 connection (2/5): edition'), ignoreFocusOut: true });
  if (!ed) return;
  let baseUrl: string | undefined;
  if (ed.e === 'custom') {
    baseUrl = await vscode.window.showInputBox({
      title: t('Add Sage 200 connection: base URL'),
      prompt: t('The API base URL, e.g. https://server:8080/uk/sage200extra/accounts/v1'),
      validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : t('Enter an http(s) URL.')),
      ignoreFocusOut: true,
    });
    if (!baseUrl) return;
  }
  const clientId = await vscode.window.showInputBox({
    title: t('Add Sage 200 connection (3/5): client id'),
    prompt: t('The client id Sage issued for your application (developer.sage.com).'),
    validateInput: (v) => (v.trim() ? undefined : t('Enter the client id.')),
    ignoreFocusOut: true,
  });
  if (!clientId) return;
  const port = await vscode.window.showInputBox({
    title: t('Add Sage 200 connection (4/5): redirect port'),
    prompt: t('The port of the loopback redirect URL registered with Sage (http://127.0.0.1:<port>/callback). Leave empty for any free port.'),
    validateInput: (v) => (v.trim() === '' || (/^\d+$/.test(v.trim()) && Number(v) <= 65535) ? undefined : t('Enter a port number (0–65535) or leave empty.')),
    ignoreFocusOut: true,
  });
  if (port === undefined) return;
  const prod = await vscode.window.showQuickPick(
    [
      { label: t('No'), production: false },
      { label: t('Yes — ask before every POST, PUT and DELETE'), production: true },
    ],
    { title: t('Add Sage 200 connection (5/5): is this production data?'), ignoreFocusOut: true },
  );
  if (!prod) return;
  let id = slugify(name);
  for (let n = 2; d.connections.get(id); n++) id = `${slugify(name)}-${n}`;
  const conn: ConnectionConfig = {
    id,
    name: name.trim(),
    edition: ed.e,
    ...(baseUrl ? { baseUrl: baseUrl.trim() } : {}),
    clientId: clientId.trim(),
    authority: DEFAULT_AUTHORITY,
    audience: DEFAULT_AUDIENCE,
    scopes: DEFAULT_SCOPES,
    ...(port.trim() ? { redirectPort: Number(port.trim()) } : {}),
    production: prod.production,
  };
  const problems = validateConnection(conn, name);
  if (problems.length) throw new Error(problems.join(' '));
  await d.connections.save(conn);
  const setSecret = t('Set Client Secret');
  const signIn = t('Sign In');
  const next = await vscode.window.showInformationMessage(t('Connection "{0}" added. A confidential (web) client also needs its client secret.', conn.name), signIn, setSecret);
  if (next === setSecret) await setSecretValue(d, conn, 'clientSecret');
  if (next === signIn || next === setSecret) await d.api.signIn(conn.id);
}

/** The secret is kept for the connection's current API and authority, and used only with them. */
async function setSecretValue(d: Deps, conn: ConnectionConfig, which: SecretKind): Promise<void> {
  const t = vscode.l10n.t;
  const value = await promptSecret(conn, which, describeOrigin(credentialOriginOf(conn)));
  if (value === undefined) return;
  await d.api.setSecret(conn, which, value);
  if (value === '') void vscode.window.showInformationMessage(t('Removed the {0} of "{1}".', secretLabel(which), conn.name));
  else void vscode.window.showInformationMessage(t('Saved the {0} of "{1}" in secret storage.', secretLabel(which), conn.name));
}

async function editConnection(d: Deps, arg: unknown): Promise<void> {
  const t = vscode.l10n.t;
  const conn = await pickConnection(d, arg, t('Edit which connection?'), (c) => d.connections.isFromSettings(c.id));
  if (!conn) return;
  if (!d.connections.isFromSettings(conn.id)) {
    void vscode.window.showInformationMessage(t('The demo sandbox connection is built in and cannot be edited.'));
    return;
  }
  type Field = 'name' | 'clientId' | 'baseUrl' | 'authority' | 'audience' | 'scopes' | 'redirectPort' | 'redirectUri' | 'production' | 'usePkce';
  const fields: { label: string; description: string; field: Field }[] = [
    { label: t('Name'), description: conn.name, field: 'name' },
    { label: t('Client id'), description: conn.clientId, field: 'clientId' },
    ...(conn.edition === 'custom' ? [{ label: t('Base URL'), description: conn.baseUrl ?? '', field: 'baseUrl' as Field }] : []),
    { label: t('Authority'), description: conn.authority ?? DEFAULT_AUTHORITY, field: 'authority' },
    { label: t('Audience'), description: conn.audience ?? DEFAULT_AUDIENCE, field: 'audience' },
    { label: t('Scopes'), description: (conn.scopes ?? DEFAULT_SCOPES).join(' '), field: 'scopes' },
    { label: t('Redirect port'), description: conn.redirectPort === undefined ? t('any free port') : String(conn.redirectPort), field: 'redirectPort' },
    { label: t('Redirect URI'), description: conn.redirectUri ?? '', field: 'redirectUri' },
    { label: t('Production'), description: conn.production ? t('yes') : t('no'), field: 'production' },
    { label: t('Use PKCE'), description: conn.usePkce === false ? t('no') : t('yes'), field: 'usePkce' },
  ];
  const pick = await vscode.window.showQuickPick(fields, { title: t('Edit "{0}"', conn.name) });
  if (!pick) return;
  let next: ConnectionConfig = conn;
  if (pick.field === 'production' || pick.field === 'usePkce') {
    next = { ...conn, [pick.field]: pick.field === 'production' ? !conn.production : conn.usePkce === false };
  } else {
    const value = await vscode.window.showInputBox({ title: t('Edit "{0}": {1}', conn.name, pick.label), value: pick.description, ignoreFocusOut: true });
    if (value === undefined) return;
    const v = value.trim();
    if (pick.field === 'scopes') next = { ...conn, scopes: v.split(/\s+/).filter(Boolean) };
    else if (pick.field === 'redirectPort') next = v === '' || !/^\d+$/.test(v) ? { ...conn, redirectPort: undefined } : { ...conn, redirectPort: Number(v) };
    else next = { ...conn, [pick.field]: v || undefined };
  }
  const problems = validateConnection(JSON.parse(JSON.stringify(next)), conn.name);
  if (problems.length) throw new Error(problems.join(' '));
  await d.connections.save(next);
  const before = credentialOriginOf(conn);
  const after = credentialOriginOf(next);
  if (!sameOrigin(before, after)) {
    // Said now, so that the questions on the next send do not come as a surprise.
    void vscode.window.showInformationMessage(
      t('"{0}" now uses {1}. Its sign-in and secrets were made for {2} and are not sent to the new address: you will be asked to sign in and enter them again.', next.name, describeOrigin(after), describeOrigin(before)),
    );
  }
}

async function removeConnection(d: Deps, arg: unknown): Promise<void> {
  const t = vscode.l10n.t;
  const conn = await pickConnection(d, arg, t('Remove which connection?'), (c) => d.connections.isFromSettings(c.id));
  if (!conn || conn.id === SANDBOX_CONNECTION_ID) return;
  const remove = t('Remove');
  const ok = await vscode.window.showWarningMessage(t('Remove the connection "{0}"? Its session and secrets are deleted too.', conn.name), { modal: true }, remove);
  if (ok !== remove) return;
  await d.api.signOut(conn.id);
  for (const key of allSecretKeys(conn.id)) await d.secrets.delete(key);
  await d.context.forget(conn.id);
  await d.connections.remove(conn.id);
}

async function switchContext(d: Deps): Promise<void> {
  const t = vscode.l10n.t;
  const sel = d.context.selection;
  type Item = vscode.QuickPickItem & { run?: () => Promise<unknown> };
  const items: Item[] = [];
  const active = sel && d.connections.get(sel.connectionId);
  if (active) {
    const signedIn = await d.api.isSignedIn(active.id);
    items.push({ label: active.name, kind: vscode.QuickPickItemKind.Separator });
    if (signedIn) {
      items.push({ label: `$(organization) ${t('Switch site or company…')}`, run: () => d.api.pickSiteCompany(active.id) });
      items.push({ label: `$(sign-out) ${t('Sign out of {0}', active.name)}`, run: () => d.api.signOut(active.id) });
    } else {
      items.push({ label: `$(sign-in) ${t('Sign in to {0}', active.name)}`, run: () => d.api.signIn(active.id) });
    }
  }
  const others = d.connections.list().filter((c) => c.id !== active?.id);
  if (others.length) items.push({ label: t('Switch connection'), kind: vscode.QuickPickItemKind.Separator });
  for (const c of others) {
    items.push({
      label: `$(database) ${c.name}`,
      description: c.edition,
      run: async () => {
        await d.context.select(c.id);
        if (!(await d.api.isSignedIn(c.id))) return d.api.signIn(c.id);
        if (!d.context.selection?.companyId) return d.api.pickSiteCompany(c.id);
        return undefined;
      },
    });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: `$(add) ${t('Add connection…')}`, run: () => addConnection(d) });
  const pick = await vscode.window.showQuickPick(items, { placeHolder: t('Sage 200: connection, site and company') });
  await pick?.run?.();
}

/** The connection and sign-in commands, to be registered by extension.ts's command loop. */
export function connectionCommands(d: Deps): Record<string, (arg: unknown) => Promise<unknown>> {
  const t = vscode.l10n.t;
  return {
    [ConnectionCommands.addConnection]: guarded(d, () => addConnection(d)),
    [ConnectionCommands.editConnection]: guarded(d, (arg) => editConnection(d, arg)),
    [ConnectionCommands.removeConnection]: guarded(d, (arg) => removeConnection(d, arg)),
    [ConnectionCommands.setClientSecret]: guarded(d, async (arg) => {
      const c = await pickConnection(d, arg, t('Set the client secret of which connection?'));
      if (c) await setSecretValue(d, c, 'clientSecret');
    }),
    [ConnectionCommands.setSubscriptionKey]: guarded(d, async (arg) => {
      const c = await pickConnection(d, arg, t('Set the subscription key of which connection?'));
      if (c) await setSecretValue(d, c, 'subscriptionKey');
    }),
    [ConnectionCommands.signIn]: guarded(d, async (arg) => {
      if (!checkTrusted(t('Signing in to Sage 200'))) return false;
      const c = await pickConnection(d, arg, t('Sign in to which connection?'));
      if (!c) return false;
      await d.context.select(c.id);
      return d.api.signIn(c.id);
    }),
    [ConnectionCommands.signOut]: guarded(d, async (arg) => {
      const c = await pickConnection(d, arg, t('Sign out of which connection?'));
      if (c) await d.api.signOut(c.id);
    }),
    [ConnectionCommands.selectSiteCompany]: guarded(d, async (arg) => {
      const c = await pickConnection(d, arg, t('Choose the site and company of which connection?'));
      if (c) return d.api.pickSiteCompany(c.id);
      return undefined;
    }),
    [ConnectionCommands.switchContext]: guarded(d, () => switchContext(d)),
  };
}
