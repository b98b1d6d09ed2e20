// File paths <-> URIs. The validator works on absolute paths; LSP speaks URIs. Documents the
// client opened keep the exact URI string it sent (clients differ in how they escape).

import { fileURLToPath, pathToFileURL } from 'node:url';

export class UriMap {
  private readonly known = new Map<string, string>();

  remember(uri: string): string {
    const p = uriToPath(uri);
    if (p !== undefined) this.known.set(p, uri);
    return p ?? uri;
  }

  toUri(path: string): string {
    return this.known.get(path) ?? pathToFileURL(path).href;
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
