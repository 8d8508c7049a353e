/** Every command id in one place; package.json `contributes.commands` lists the same ids. */
export const Commands = {
  showCatalogInfo: 'sage200.showCatalogInfo',
  showLog: 'sage200.showLog',
  // Demo sandbox (src/sandbox)
  startSandbox: 'sage200.startSandbox',
  stopSandbox: 'sage200.stopSandbox',
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
  // Request files as tests (src/testing)
  runTest: 'sage200.runTest',
  runTestFile: 'sage200.runTestFile',
  // Explorer tree (src/explorer)
  explorerRefresh: 'sage200.explorer.refresh',
  explorerFilter: 'sage200.explorer.filter',
  explorerClearFilter: 'sage200.explorer.clearFilter',
  explorerRetry: 'sage200.explorer.retry',
  explorerTryDemo: 'sage200.explorer.tryDemo',
  explorerCredentialsHelp: 'sage200.explorer.credentialsHelp',
  explorerMakeActive: 'sage200.explorer.makeActive',
  explorerOpenRequest: 'sage200.explorer.openRequest',
  explorerFetchFirstPage: 'sage200.explorer.fetchFirstPage',
  explorerCount: 'sage200.explorer.count',
  explorerShowFields: 'sage200.explorer.showFields',
  explorerExportAll: 'sage200.explorer.exportAll',
  explorerFilterRecords: 'sage200.explorer.filterRecords',
  explorerClearRecordFilter: 'sage200.explorer.clearRecordFilter',
  explorerLoadPage: 'sage200.explorer.loadPage',
  explorerOpenRecord: 'sage200.explorer.openRecord',
  explorerCopyRecordId: 'sage200.explorer.copyRecordId',
  explorerOpenRecordRequest: 'sage200.explorer.openRecordRequest',
  explorerEditRecordRequest: 'sage200.explorer.editRecordRequest',
  explorerDeleteRecord: 'sage200.explorer.deleteRecord',
  // Response viewer and history (src/viewer)
  historyOpen: 'sage200.history.open',
  historyResend: 'sage200.history.resend',
  historyRemove: 'sage200.history.remove',
  historyClear: 'sage200.history.clear',
  // Import and export (src/import)
  importRequests: 'sage200.import',
  pasteCurl: 'sage200.pasteCurl',
  exportPostman: 'sage200.exportPostman',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
