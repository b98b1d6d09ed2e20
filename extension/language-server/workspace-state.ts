// What the server knows: open buffers, the system files in the workspace, and the latest
// validation of each "root" (a system file with its domains, or an open domain file that no
// system names). Every change re-validates all roots — files are small and validation is
// fast — so a domain file edit updates its system's cross-file diagnostics at once.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ConfigDiagnostic, detectFileKind, diskFileAccess, FileAccess, overlayFileAccess, validateFile, ValidationResult,
} from '../../emulator/config/index';
import { SYSTEM_FILE_EXTENSION } from '../../emulator/config/index';

const SCAN_SKIP = new Set(['node_modules', '.git', 'out', 'dist', '.test-cache', '.vscode-test']);
const SCAN_MAX_DIRS = 2000;
const SCAN_MAX_DEPTH = 8;

export class WorkspaceState {
  /** Open documents by absolute path. */
  readonly open = new Map<string, TextDocument>();
  /** System files found in the workspace or opened. */
  readonly systems = new Set<string>();
  /** Latest results, by root file. */
  results = new Map<string, ValidationResult>();

  readonly files: FileAccess = overlayFileAccess((p) => this.open.get(p)?.getText(), diskFileAccess);

  /** Finds system files under the workspace folders (bounded, so a huge tree cannot stall us). */
  scan(folders: string[]): void {
    let dirs = 0;
    const walk = (dir: string, depth: number): void => {
      if (depth > SCAN_MAX_DEPTH || dirs++ > SCAN_MAX_DIRS) return;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SCAN_SKIP.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
        } else if (e.isFile() && path.extname(e.name) === SYSTEM_FILE_EXTENSION) {
          this.systems.add(p);
        }
      }
    };
    for (const f of folders) walk(f, 0);
  }

  isSystem(file: string): boolean {
    return detectFileKind(file, this.files.readText(file)) === 'system';
  }

  noteFile(file: string): void {
    if (this.isSystem(file)) this.systems.add(file);
    else this.systems.delete(file);
  }

  forget(file: string): void {
    if (!fs.existsSync(file)) this.systems.delete(file);
  }

  /** Re-validates every root. Returns the diagnostics by file (every file any root touched). */
  validate(): Map<string, ConfigDiagnostic[]> {
    const results = new Map<string, ValidationResult>();
    for (const sys of [...this.systems].sort()) {
      if (!this.open.has(sys) && !fs.existsSync(sys)) { this.systems.delete(sys); continue; }
      results.set(sys, validateFile(sys, this.files));
    }
    const covered = new Set<string>();
    for (const r of results.values()) for (const d of r.domains) covered.add(d.file);
    for (const file of [...this.open.keys()].sort()) {
      if (results.has(file) || covered.has(file)) continue;
      results.set(file, validateFile(file, this.files));
    }
    this.results = results;

    const byFile = new Map<string, ConfigDiagnostic[]>();
    const seen = new Set<string>();
    for (const r of results.values()) {
      byFile.set(r.file, byFile.get(r.file) ?? []);
      for (const d of r.domains) byFile.set(d.file, byFile.get(d.file) ?? []);
      for (const d of r.diagnostics) {
        const key = `${d.file}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.severity}|${d.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const list = byFile.get(d.file) ?? [];
        list.push(d);
        byFile.set(d.file, list);
      }
    }
    return byFile;
  }

  /** Results whose files include `file` (its own root and any system naming it). */
  resultsFor(file: string): ValidationResult[] {
    return [...this.results.values()].filter((r) => r.file === file || r.domains.some((d) => d.file === file));
  }

  /** True if a change to `file` on disk can affect any result. */
  affects(file: string): boolean {
    if (path.extname(file) === SYSTEM_FILE_EXTENSION) return true;
    return [...this.results.values()].some((r) => r.dependencies.includes(file));
  }
}
