// The hvlab language server (bundled as dist/language-server.js, run with --stdio). It checks
// system files (.hvsys) and xl.cfg domain files with the same validator the hypervisor and
// `hvlab check` use, so a message in the editor is the message on the command line.

import {
  CodeActionKind, createConnection, DidChangeWatchedFilesNotification, FileChangeType, InitializeResult, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind, TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatConfig } from '../../emulator/config/index';
import { codeActions } from './code-actions';
import { complete } from './completion';
import { hover } from './hover';
import { toLspDiagnostic } from './lsp-diagnostics';
import { definition, references } from './navigation';
import { documentSymbols } from './symbols';
import { UriMap, uriToPath } from './uri';
import { WorkspaceState } from './workspace-state';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const state = new WorkspaceState();
const uris = new UriMap();
let published = new Set<string>();
let timer: NodeJS.Timeout | undefined;
let canRegisterWatchers = false;

// Typing produces a burst of changes; validate once the burst settles.
const VALIDATE_DELAY_MS = 60;

function schedule(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(publishAll, VALIDATE_DELAY_MS);
}

function publishAll(): void {
  timer = undefined;
  const byFile = state.validate();
  const now = new Set<string>();
  for (const [file, diags] of byFile) {
    const uri = uris.toUri(file);
    now.add(uri);
    void connection.sendDiagnostics({ uri, diagnostics: diags.map((d) => toLspDiagnostic(d, uris)) });
  }
  for (const uri of published) if (!now.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  published = now;
}

/** Requests answer from the text as it is now: run a pending validation first. */
function fresh(): void {
  if (timer) {
    clearTimeout(timer);
    publishAll();
  }
}

function pathOf(uri: string): string | undefined {
  return uriToPath(uri);
}

connection.onInitialize((params): InitializeResult => {
  const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
  if (folders.length === 0 && params.rootUri) {
    const root = uriToPath(params.rootUri);
    if (root) folders.push(root);
  }
  state.scan(folders);
  canRegisterWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['"', '\'', '=', '/', ',', ' '] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'hvlab-config' },
  };
});

connection.onInitialized(() => {
  // Kernels and domain files change on disk (a rebuild, a git checkout); watch everything the
  // results depend on. Clients that cannot register watchers send the events they have.
  if (canRegisterWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  }
  schedule();
});

documents.onDidOpen((e) => {
  const file = uris.remember(e.document.uri);
  if (pathOf(e.document.uri)) {
    state.open.set(file, e.document);
    state.noteFile(file);
  }
  schedule();
});

documents.onDidChangeContent((e) => {
  const file = pathOf(e.document.uri);
  if (file) {
    state.open.set(file, e.document);
    state.noteFile(file);
  }
  schedule();
});

documents.onDidClose((e) => {
  const file = pathOf(e.document.uri);
  if (file) {
    state.open.delete(file);
    state.forget(file);
  }
  schedule();
});

connection.onDidChangeWatchedFiles((params) => {
  let relevant = false;
  for (const change of params.changes) {
    const file = pathOf(change.uri);
    if (!file) continue;
    if (change.type === FileChangeType.Deleted) state.forget(file);
    else if (file.endsWith('.hvsys')) state.systems.add(file);
    if (state.affects(file) || file.endsWith('.hvsys')) relevant = true;
  }
  if (relevant) schedule();
});

connection.onCompletion((params) => {
  fresh();
  const doc = documents.get(params.textDocument.uri);
  const file = pathOf(params.textDocument.uri);
  if (!doc || !file) return [];
  const results = state.resultsFor(file);
  const domainNames = [...new Set(results.flatMap((r) => r.domains.map((d) => d.description.name)))];
  return complete(doc.getText(), params.position, { file, isSystem: state.isSystem(file), domainNames });
});

connection.onHover((params) => {
  fresh();
  const doc = documents.get(params.textDocument.uri);
  const file = pathOf(params.textDocument.uri);
  if (!doc || !file) return null;
  return hover(doc.getText(), file, params.position, state.isSystem(file), state.resultsFor(file));
});

connection.onDefinition((params) => {
  fresh();
  const file = pathOf(params.textDocument.uri);
  return file ? definition(file, params.position, state.resultsFor(file), uris) : [];
});

connection.onReferences((params) => {
  fresh();
  const file = pathOf(params.textDocument.uri);
  if (!file) return [];
  // References reach across systems: every result that mentions this file, and their files.
  return references(file, params.position, [...state.results.values()], uris, params.context.includeDeclaration);
});

connection.onDocumentSymbol((params) => {
  const doc = documents.get(params.textDocument.uri);
  const file = pathOf(params.textDocument.uri);
  return doc && file ? documentSymbols(file, doc.getText()) : [];
});

connection.onDocumentFormatting((params): TextEdit[] => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const text = doc.getText();
  const formatted = formatConfig(text);
  if (formatted === undefined || formatted === text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: formatted }];
});

connection.onCodeAction((params) => codeActions(params.context.diagnostics));

documents.listen(connection);
connection.listen();
