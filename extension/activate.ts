// Extension entry point: wiring only. Each piece lives in its own module; this file registers them.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { startLanguageClient } from './language/client';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  // The language server checks system (.hvsys) and domain (xl.cfg) files with the same validator
  // the hypervisor runs at launch (emulator/config).
  client = startLanguageClient(context);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
