// Positions and diagnostics shared by the parser, the validators, `hvlab check`, the
// hypervisor launcher and the language server. Positions are 0-based line and UTF-16
// character offsets, exactly what LSP wants; the compiler-style printer adds 1 to both.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information';

/** A second place that explains a diagnostic (the other half of a cross-file conflict). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

/** A mechanical repair the editor can offer as a code action. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** Stable identifiers so tools (code actions, tests) need not match on message text. */
export type DiagnosticCode =
  | 'lexical'
  | 'syntax'
  | 'python'
  | 'crlf'
  | 'duplicate-key'
  | 'type'
  | 'range'
  | 'missing-key'
  | 'unknown-key'
  | 'unsupported-key'
  | 'unknown-value'
  | 'unsupported-value'
  | 'ignored'
  | 'file'
  | 'image'
  | 'domain-name'
  | 'unknown-domain'
  | 'memory'
  | 'cpu'
  | 'null-pinning'
  | 'irq'
  | 'iomem'
  | 'shmem'
  | 'evtchn'
  | 'arinc653';

export interface ConfigDiagnostic {
  file: string;
  range: Range;
  severity: Severity;
  message: string;
  code: DiagnosticCode;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

export function pos(line: number, character: number): Position {
  return { line, character };
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: pos(sl, sc), end: pos(el, ec) };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function rangeContains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

/** Sort order for output: file, then position, then errors before warnings. */
export function sortDiagnostics(list: ConfigDiagnostic[]): ConfigDiagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, information: 2 };
  return [...list].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1
      : comparePositions(a.range.start, b.range.start) || rank[a.severity] - rank[b.severity]);
}

/** `file:line:col: error: message`, the format compilers and editors' problem matchers read. */
export function formatDiagnostic(d: ConfigDiagnostic, displayPath: (file: string) => string = (f) => f): string {
  const head = `${displayPath(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity === 'information' ? 'note' : d.severity}: ${d.message}`;
  const notes = (d.related ?? []).map((r) =>
    `${displayPath(r.file)}:${r.range.start.line + 1}:${r.range.start.character + 1}: note: ${r.message}`);
  return [head, ...notes].join('\n');
}

export function hasErrors(list: readonly ConfigDiagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
