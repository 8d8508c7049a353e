/**
 * The page's own texts, as the extension passed them in the HTML (`<body data-strings>`, see
 * src/viewer/html.ts), already in the user's language. Nothing in the webview spells out a text of
 * its own: it takes it from here.
 */
import { parseViewerStrings } from '../../core/viewer/strings';

export const S = parseViewerStrings(document.body.dataset.strings);
