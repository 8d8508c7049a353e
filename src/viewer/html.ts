/**
 * The webview's HTML. No `vscode` import, so the Chromium tests load the very same page.
 * CSP: nothing by default; the one script runs by nonce, styles and the script come only from the
 * extension's media folder (`cspSource`), so text in a response can never become markup that runs.
 */
import { randomBytes } from 'crypto';
import { ENGLISH_VIEWER_STRINGS, ViewerStrings } from '../core/viewer/strings';

export interface HtmlParts {
  /** webview.cspSource */
  readonly cspSource: string;
  /** asWebviewUri(media/dist/webview.js) */
  readonly scriptUri: string;
  /** asWebviewUri(media/webview.css) */
  readonly styleUri: string;
  /** Extra scripts that must run first (tests only: the stand-in for VS Code's host). */
  readonly preludeUris?: readonly string[];
  readonly nonce?: string;
  /** The page's texts in the user's language (English when absent); the webview shows only these. */
  readonly strings?: ViewerStrings;
  /** The display language, for `<html lang>` (vscode.env.language). */
  readonly language?: string;
}

/** A fresh nonce per load, from the OS's CSPRNG (never Math.random or a clock). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function viewerHtml(parts: HtmlParts): string {
  const nonce = parts.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    `style-src ${parts.cspSource}`,
    `img-src ${parts.cspSource} data:`,
    `font-src ${parts.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // The Table tab's paint worker, started from a blob URL of the bundle's own code (src/viewer/webview/table/canvasLayer.ts).
    'worker-src blob:',
  ].join('; ');
  const scripts = [...(parts.preludeUris ?? []), parts.scriptUri].map((u) => `<script nonce="${attr(nonce)}" src="${attr(u)}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${attr(parts.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(parts.styleUri)}">
<title>Sage 200 response</title>
</head>
<body data-strings="${attr(JSON.stringify(parts.strings ?? ENGLISH_VIEWER_STRINGS))}">
${scripts}
</body>
</html>`;
}
