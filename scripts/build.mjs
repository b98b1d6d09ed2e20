// Bundles the four entry points into dist/ with esbuild (one file each, Node 20, CommonJS).
// `vscode` is provided by the extension host, so it stays external.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const entries = [
  { in: 'extension/activate.ts', out: 'dist/extension.js', external: ['vscode'] },
  { in: 'debug-adapter/main.ts', out: 'dist/debug-adapter.js' },
  { in: 'extension/language-server/server.ts', out: 'dist/language-server.js' },
  { in: 'emulator/cli.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
];
await Promise.all(entries.map((e) => build({
  ...common,
  entryPoints: [e.in],
  outfile: e.out,
  external: e.external ?? [],
  banner: e.banner ? { js: e.banner } : undefined,
})));
chmodSync('dist/cli.js', 0o755);
