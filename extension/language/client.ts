// Starts the hvlab language server (dist/language-server.js) for system files (.hvsys) and
// xl.cfg domain files, over stdio, and stops it with the extension.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

export const CONFIG_LANGUAGE_IDS = ['hvlab-system', 'hvlab-domain'] as const;

export function startLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/language-server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: CONFIG_LANGUAGE_IDS.map((language) => ({ scheme: 'file', language })),
    // Kernels and domain files change on disk too (rebuilds, checkouts); the server decides
    // which changes matter from what each system depends on.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
  };
  const client = new LanguageClient('hvlab-config', 'hvlab configuration', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client.stop() });
  void client.start();
  return client;
}
