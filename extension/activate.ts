// Extension entry point: wiring only. The debugger and the language client are registered by the
// modules under extension/debug and extension/language as they land.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Registration of debug and language pieces happens here (issues 4 and the debugger issue).
}

export function deactivate(): void {}
