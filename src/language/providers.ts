import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { Disposable } from '../lifecycle';
import {
  AnalysisCache, codeLensSpans, complete, computeDiagnostics, documentSymbols, FileAnalysis, foldingRanges, hover,
  LangCompletion, LangDiagnostic, LanguageContext,
} from '../core/language';
import { Span } from '../core/requestFile';

export const LANGUAGE_ID = 'sage200';
const SELECTOR: vscode.DocumentSelector = { language: LANGUAGE_ID };

export function toRange(doc: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}

/** One analysis per document version, shared by every provider and by Send. */
export class DocumentAnalyses {
  private readonly cache = new AnalysisCache();

  get(doc: vscode.TextDocument): FileAnalysis {
    return this.cache.get(doc.uri.toString(), doc.version, () => doc.getText());
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }
}

const SEVERITY: Record<LangDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const KIND: Record<LangCompletion['kind'], vscode.CompletionItemKind> = {
  method: vscode.CompletionItemKind.Keyword,
  path: vscode.CompletionItemKind.Module,
  option: vscode.CompletionItemKind.Property,
  field: vscode.CompletionItemKind.Field,
  operator: vscode.CompletionItemKind.Operator,
  function: vscode.CompletionItemKind.Function,
  value: vscode.CompletionItemKind.Value,
  header: vscode.CompletionItemKind.Property,
  headerValue: vscode.CompletionItemKind.Value,
  variable: vscode.CompletionItemKind.Variable,
  keyword: vscode.CompletionItemKind.Keyword,
  snippet: vscode.CompletionItemKind.Snippet,
  property: vscode.CompletionItemKind.Field,
};

/**
 * Completion, hover, diagnostics with quick fixes, symbols, folding and CodeLens for `.sage200`
 * files. Each provider converts results of src/core/language; none parses text itself.
 */
export class RequestLanguageProviders extends Disposable {
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection(LANGUAGE_ID));
  private readonly lastDiagnostics = new Map<string, { version: number; ctx: LanguageContext; items: LangDiagnostic[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lensesChanged = this._register(new vscode.EventEmitter<void>());

  constructor(private readonly analyses: DocumentAnalyses, private readonly context: () => LanguageContext, onDidChangeContext: vscode.Event<unknown>) {
    super();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- provider objects call back into this class
    const self = this;
    this._register(vscode.languages.registerCompletionItemProvider(SELECTOR, {
      provideCompletionItems(doc, position) {
        return self.completions(doc, position);
      },
    }, '/', '?', '&', '=', ',', '$', '{', '.', ' ', '"', ':', '(', '@'));
    this._register(vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(doc, position) {
        const h = hover(self.analyses.get(doc), doc.offsetAt(position), self.context());
        return h ? new vscode.Hover(new vscode.MarkdownString(h.contents), toRange(doc, h.span)) : undefined;
      },
    }));
    this._register(vscode.languages.registerDocumentSymbolProvider(SELECTOR, {
      provideDocumentSymbols(doc) {
        return documentSymbols(self.analyses.get(doc)).map((s) => new vscode.DocumentSymbol(
          s.name, s.detail, s.kind === 'request' ? vscode.SymbolKind.Function : vscode.SymbolKind.Variable,
          toRange(doc, s.span), toRange(doc, s.selectionSpan)));
      },
    }));
    this._register(vscode.languages.registerFoldingRangeProvider(SELECTOR, {
      provideFoldingRanges(doc) {
        return foldingRanges(self.analyses.get(doc)).map((r) => new vscode.FoldingRange(r.startLine, r.endLine,
          r.kind === 'comment' ? vscode.FoldingRangeKind.Comment : r.kind === 'region' ? vscode.FoldingRangeKind.Region : undefined));
      },
    }));
    this._register(vscode.languages.registerCodeLensProvider(SELECTOR, {
      onDidChangeCodeLenses: this.lensesChanged.event,
      provideCodeLenses(doc) {
        const out: vscode.CodeLens[] = [];
        for (const l of codeLensSpans(self.analyses.get(doc))) {
          const range = toRange(doc, l.span);
          const args = [doc.uri, l.requestIndex];
          out.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Send'), command: Commands.sendRequest, arguments: args }));
          out.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Send all'), command: Commands.sendAllRequests, arguments: [doc.uri] }));
          out.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Copy as curl'), command: Commands.copyAsCurl, arguments: args }));
        }
        return out;
      },
    }));
    this._register(vscode.languages.registerCodeActionsProvider(SELECTOR, {
      provideCodeActions(doc, range) {
        return self.codeActions(doc, range);
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));

    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 150)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => {
      this.diagnostics.delete(d.uri);
      this.lastDiagnostics.delete(d.uri.toString());
      this.analyses.forget(d);
    }));
    this._register(onDidChangeContext(() => this.refreshAll()));
    this._register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    this.refreshAll();
  }

  refreshAll(): void {
    this.lastDiagnostics.clear();
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    this.lensesChanged.fire();
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (doc.languageId !== LANGUAGE_ID) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.publish(doc);
    }, delayMs));
  }

  /** The core diagnostics of a document version (cached: code actions ask for them again). */
  coreDiagnostics(doc: vscode.TextDocument): LangDiagnostic[] {
    const key = doc.uri.toString();
    const ctx = this.context();
    const hit = this.lastDiagnostics.get(key);
    if (hit && hit.version === doc.version && hit.ctx === ctx) return hit.items;
    const items = computeDiagnostics(this.analyses.get(doc), ctx);
    this.lastDiagnostics.set(key, { version: doc.version, ctx, items });
    return items;
  }

  private publish(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const items = this.coreDiagnostics(doc).map((d) => {
      const diag = new vscode.Diagnostic(toRange(doc, d.span), d.message, SEVERITY[d.severity]);
      diag.source = 'sage200';
      diag.code = d.code;
      return diag;
    });
    this.diagnostics.set(doc.uri, items);
  }

  private completions(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionList {
    const items = complete(this.analyses.get(doc), doc.offsetAt(position), this.context()).map((c) => {
      const item = new vscode.CompletionItem(c.label, KIND[c.kind]);
      item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
      item.range = toRange(doc, c.replace);
      if (c.detail) item.detail = c.detail;
      if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
      if (c.sortText) item.sortText = c.sortText;
      if (c.filterText) item.filterText = c.filterText;
      if (c.preselect) item.preselect = true;
      if (c.retrigger) item.command = { title: 'suggest', command: 'editor.action.triggerSuggest' };
      return item;
    });
    return new vscode.CompletionList(items, false);
  }

  private codeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    // Whole lines: Ctrl+. with the cursor just past a squiggle (`$skip=|5`) still offers its fix.
    const start = doc.offsetAt(new vscode.Position(range.start.line, 0));
    const end = doc.offsetAt(doc.lineAt(range.end.line).range.end);
    for (const d of this.coreDiagnostics(doc)) {
      if (!d.fixes?.length || d.span.end < start || d.span.start > end) continue;
      const diag = new vscode.Diagnostic(toRange(doc, d.span), d.message, SEVERITY[d.severity]);
      diag.code = d.code;
      diag.source = 'sage200';
      for (const fix of d.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) action.edit.replace(doc.uri, toRange(doc, e.span), e.newText);
        action.diagnostics = [diag];
        action.isPreferred = fix.preferred ?? false;
        out.push(action);
      }
    }
    return out;
  }
}
