/** Character classes of the request-file syntax, by char code (the parser runs over megabytes). */

/** Space, tab, CR, form feed, vertical tab: blanks within a line. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

/** Letters, digits, `_` and `-`: what names of metadata keys and requests are made of. */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}
