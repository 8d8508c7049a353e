/**
 * What a field name is, as the table's columns and `$select` name them: a Sage field name, or a
 * dotted path of them (`address.city`). Both the webview and the extension check the names that
 * travel between them against it, so a response key can never become text in a request file.
 */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function isFieldName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 200 && FIELD_NAME.test(name);
}
