/** Every command id in one place; package.json `contributes.commands` lists the same ids. */
export const Commands = {
  showCatalogInfo: 'sage200.showCatalogInfo',
  // Connections and sign-in (src/connections/commands.ts)
  addConnection: 'sage200.addConnection',
  editConnection: 'sage200.editConnection',
  removeConnection: 'sage200.removeConnection',
  setClientSecret: 'sage200.setClientSecret',
  setSubscriptionKey: 'sage200.setSubscriptionKey',
  signIn: 'sage200.signIn',
  signOut: 'sage200.signOut',
  selectSiteCompany: 'sage200.selectSiteCompany',
  switchContext: 'sage200.switchContext',
  // Request files (src/language)
  sendRequest: 'sage200.sendRequest',
  sendAllRequests: 'sage200.sendAllRequests',
  cancelRequest: 'sage200.cancelRequest',
  copyAsCurl: 'sage200.copyAsCurl',
  copyAsCurlWithSecrets: 'sage200.copyAsCurlWithSecrets',
  copyAsCode: 'sage200.copyAsCode',
  selectEnvironment: 'sage200.selectEnvironment',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
