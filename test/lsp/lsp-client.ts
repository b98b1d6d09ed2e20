// A real LSP client for tests: spawns `node dist/language-server.js --stdio` and speaks JSON-RPC
// to it through vscode-languageserver-protocol's stream reader and writer.

import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, Diagnostic, ProtocolConnection, PublishDiagnosticsParams, StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '../../../dist/language-server.js');

export function uri(p: string): string {
  return pathToFileURL(p).href;
}

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly proc: ChildProcess;
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  stderr = '';

  constructor() {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (b: Buffer) => { this.stderr += b.toString(); });
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.waiters = this.waiters.filter((w) => { if (w.check()) { w.resolve(); return false; } return true; });
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.listen();
  }

  async initialize(root: string): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(root),
      workspaceFolders: [{ uri: uri(root), name: 'test' }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
    });
    await this.connection.sendNotification('initialized', {});
  }

  diagnosticsOf(fileUri: string): Diagnostic[] | undefined {
    return this.diagnostics.get(fileUri);
  }

  /** Resolves once the latest diagnostics for `fileUri` satisfy `pred` (fails after a timeout). */
  waitFor(fileUri: string, pred: (d: Diagnostic[]) => boolean, what: string, timeoutMs = 5000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => { const d = this.diagnostics.get(fileUri); return d !== undefined && pred(d); };
      if (check()) { resolve(this.diagnostics.get(fileUri)!); return; }
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(this.diagnostics.get(fileUri)?.map((d) => d.message))}`)), timeoutMs);
      this.waiters.push({ check, resolve: () => { clearTimeout(timer); resolve(this.diagnostics.get(fileUri)!); } });
    });
  }

  open(fileUri: string, text: string, languageId = 'hvlab-domain'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId, version: 1, text } });
  }

  private versions = new Map<string, number>();
  change(fileUri: string, text: string): Promise<void> {
    const version = (this.versions.get(fileUri) ?? 1) + 1;
    this.versions.set(fileUri, version);
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri, version }, contentChanges: [{ text }] });
  }

  async close(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below makes sure.
    }
    this.connection.dispose();
    this.proc.kill();
  }
}
