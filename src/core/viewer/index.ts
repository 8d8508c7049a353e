/** The response viewer's view model: pure functions shared by the extension side and the webview bundle. */
export * from './columns';
export * from './errors';
export * from './format';
export * from './arrayStream';
export * from './select';
export * from './rowOrder';
