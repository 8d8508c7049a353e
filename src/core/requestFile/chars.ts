/** The marks of the request-file syntax, by name, and the character classes the scanners use. */

/** `###` starts a request block; the rest of the line is its title. */
export const SEPARATOR = '###';
/** `#` and `//` start a comment line (and, before the request line, a `# @key value` metadata line). */
export const HASH_COMMENT = '#';
export const SLASH_COMMENT = '//';
/** `@name = value` defines a file variable; `# @key` is metadata. */
export const AT = '@';
export const EQUALS = '=';
/** `?` opens the query; `&` joins its parts, also on indented continuation lines. */
export const QUERY_START = '?';
export const QUERY_JOIN = '&';
/** `?? …` is an assertion on the response. */
export const ASSERTION = '??';
export const HEADER_COLON = ':';
/** How the request line's optional last word, the HTTP version, begins. */
export const HTTP_VERSION_PREFIX = 'HTTP/';
/** `{{…}}` is a variable reference. */
export const REF_OPEN = '{{';
export const REF_CLOSE = '}}';
/** A line in the header area that starts with one of these is a body missing its blank line. */
export const JSON_OBJECT = '{';
export const JSON_ARRAY = '[';

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const FORM_FEED = 12;
const VERTICAL_TAB = 11;

/** Space, tab, CR, form feed, vertical tab: blanks within a line. */
export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === FORM_FEED || c === VERTICAL_TAB;
}

/** Whether the character code ends a line: `\n`, or `\r` (alone or before `\n`). */
export function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
}

/** Blanks and line breaks that a block's span leaves off its end. */
export function isTrailingSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/** Letters, digits, `_` and `-`: what names of metadata keys and requests are made of. */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}
