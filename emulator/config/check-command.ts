// `hvlab check FILE…`: validates system files (with every domain file they name) and lone
// domain files, printing compiler-style diagnostics. Exit status 1 if any error, else 0.

import * as path from 'node:path';
import { diskFileAccess, FileAccess } from './file-access';
import { ConfigDiagnostic, formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics';
import { validateFile } from './index';

export interface OutputStream {
  write(text: string): unknown;
}

const USAGE = 'usage: hvlab check FILE...\n  Validates hvlab system files (.hvsys) with the domain files they list, and xl.cfg domain files.\n';

export function runCheck(args: string[], out: OutputStream, err: OutputStream, files: FileAccess = diskFileAccess): number {
  if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
    (args.length === 0 ? err : out).write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const cwd = process.cwd();
  const display = (f: string): string => {
    const rel = path.relative(cwd, f);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : f;
  };
  // A domain file given alongside its system file is checked twice; its findings print once.
  const all: ConfigDiagnostic[] = [];
  const seen = new Set<string>();
  let checked = 0;
  for (const arg of args) {
    const result = validateFile(path.resolve(arg), files);
    checked++;
    for (const d of result.diagnostics) {
      const key = `${d.file}:${d.range.start.line}:${d.range.start.character}:${d.severity}:${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(d);
    }
  }
  const sorted = sortDiagnostics(all);
  for (const d of sorted) out.write(`${formatDiagnostic(d, display)}\n`);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.filter((d) => d.severity === 'warning').length;
  out.write(`${checked} file${checked === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return hasErrors(sorted) ? 1 : 0;
}
