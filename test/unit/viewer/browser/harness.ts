/**
 * Loaded before the webview bundle in the test page: stands in for VS Code's webview host.
 * `acquireVsCodeApi` records what the webview posts and keeps its state; `__show` delivers a
 * response exactly as src/viewer does (a `response` message, text chunks of the same sizes, `end`).
 */
import type { FromWebview, ResponseMeta, ToWebview, ViewerState } from '../../../../src/core/viewer/messages';
import { splitText } from '../../../../src/core/viewer/arrayStream';

interface HarnessWindow {
  __posted: FromWebview[];
  __csp: string[];
  __state: ViewerState | undefined;
  __show(meta: ResponseMeta, body: string): Promise<number>;
  __send(m: ToWebview): void;
  acquireVsCodeApi(): unknown;
}
const w = window as unknown as HarnessWindow;
w.__posted = [];
w.__csp = [];
// The page runs under the extension's CSP: anything it blocks is a bug in the viewer (or an attack).
document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`));
// Like VS Code, the state outlives a reload of the page (here: in sessionStorage).
Object.defineProperty(w, '__state', {
  get: () => {
    const s = sessionStorage.getItem('vscode-state');
    return s ? (JSON.parse(s) as ViewerState) : undefined;
  },
  set: (v: ViewerState | undefined) => {
    if (v === undefined) sessionStorage.removeItem('vscode-state');
    else sessionStorage.setItem('vscode-state', JSON.stringify(v));
  },
});
w.acquireVsCodeApi = () => ({
  postMessage: (m: FromWebview) => w.__posted.push(m),
  getState: () => w.__state,
  setState: (s: ViewerState) => {
    w.__state = s;
  },
});
w.__send = (m) => window.postMessage(m, '*');
/**
 * Posts like src/viewer does: the extension awaits each postMessage before the next chunk, so
 * chunks arrive as separate tasks with the webview free to paint in between.
 */
w.__show = async (meta, body) => {
  performance.mark('sage200.show');
  const chunks = [...splitText(body)];
  const tick = () => new Promise<void>((r) => setTimeout(r, 0));
  window.postMessage({ type: 'response', meta, chunks: chunks.length } satisfies ToWebview, '*');
  for (let seq = 0; seq < chunks.length; seq++) {
    await tick();
    window.postMessage({ type: 'chunk', id: meta.id, seq, text: chunks[seq] } satisfies ToWebview, '*');
  }
  await tick();
  window.postMessage({ type: 'end', id: meta.id } satisfies ToWebview, '*');
  return chunks.length;
};

/**
 * The Table tab paints its cells in a worker, on a canvas the page cannot read back. The stand-in
 * keeps the last frame the page described to the worker and the last frame the worker reported
 * painted, so tests can check what each cell shows (test/unit/viewer/page.ts, `paintedGrid`).
 */
interface PaintSpyWindow {
  __frame?: unknown;
  __paintedSeq: number;
}
const spy = window as unknown as PaintSpyWindow;
spy.__paintedSeq = -1;
if (typeof Worker === 'function') {
  const Base = Worker;
  class SpiedWorker extends Base {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (e: MessageEvent<{ type?: string; seq?: number }>) => {
        if (e.data?.type === 'painted' && typeof e.data.seq === 'number') spy.__paintedSeq = e.data.seq;
      });
    }

    override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
      const m = message as { type?: string; frame?: unknown };
      if (m?.type === 'frame') spy.__frame = m.frame;
      super.postMessage(message, transfer as Transferable[]);
    }
  }
  window.Worker = SpiedWorker;
}
