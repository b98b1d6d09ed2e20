// What the cursor is on, for completion and hover. Completion must work on text that does
// not parse yet (a half-typed key, an unterminated string), so it reads the raw text around
// the cursor rather than the AST: the nearest `key =` above the cursor whose value is still
// open (same line, or inside unbalanced brackets), and whether the cursor is inside quotes.

import { Position } from '../../emulator/config/index';
import { Token } from '../../emulator/config/lexer';
import { parseConfig } from '../../emulator/config/index';

export type CompletionContext =
  | { kind: 'key'; prefix: string }
  | { kind: 'value'; key: string; inString: false; prefix: string }
  | { kind: 'value'; key: string; inString: true; quote: string; stringPrefix: string }
  | { kind: 'none' };

export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line && i < text.length) {
    if (text[i] === '\n') line++;
    i++;
  }
  return Math.min(i + p.character, text.length);
}

export function completionContext(text: string, p: Position): CompletionContext {
  const cursor = offsetAt(text, p);
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  const linePrefix = text.slice(lineStart, cursor);
  if (/^[ \t]*[A-Za-z_][._0-9A-Za-z]*$|^[ \t]*$/.test(linePrefix) && !insideOpenList(text, cursor)) {
    return { kind: 'key', prefix: linePrefix.trim() };
  }
  // Find the assignment whose value the cursor is in.
  const before = text.slice(0, cursor);
  const re = /(^|\n)[ \t]*([a-z][._0-9a-z]*)[ \t]*\+?=/g;
  let m: RegExpExecArray | null;
  let last: { key: string; end: number } | undefined;
  while ((m = re.exec(before))) last = { key: m[2], end: m.index + m[0].length };
  if (!last) return { kind: 'none' };
  const value = before.slice(last.end);
  const scan = scanValue(value);
  if (value.includes('\n') && scan.depth <= 0) return { kind: 'none' };
  if (scan.quote) return { kind: 'value', key: last.key, inString: true, quote: scan.quote, stringPrefix: scan.stringText };
  return { kind: 'value', key: last.key, inString: false, prefix: scan.tail };
}

/** Bracket depth and open-string state of a value's text (comments skipped). */
function scanValue(value: string): { depth: number; quote?: string; stringText: string; tail: string } {
  let depth = 0;
  let quote: string | undefined;
  let stringText = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === '\\') { stringText += value.slice(i, i + 2); i++; continue; }
      if (c === quote) { quote = undefined; continue; }
      if (c === '\n') { quote = undefined; continue; }
      stringText += c;
      continue;
    }
    if (c === '#') { while (i < value.length && value[i] !== '\n') i++; continue; }
    if (c === '"' || c === '\'') { quote = c; stringText = ''; continue; }
    if (c === '[') depth++;
    if (c === ']') depth--;
  }
  const tail = /[^\s[,=]*$/.exec(value)?.[0] ?? '';
  return { depth, quote, stringText, tail };
}

function insideOpenList(text: string, cursor: number): boolean {
  const before = text.slice(0, cursor);
  const re = /(^|\n)[ \t]*([a-z][._0-9a-z]*)[ \t]*\+?=/g;
  let m: RegExpExecArray | null;
  let end = -1;
  while ((m = re.exec(before))) end = m.index + m[0].length;
  if (end < 0) return false;
  return scanValue(before.slice(end)).depth > 0;
}

/** The token under the cursor (keys, strings, numbers), from a fresh parse. */
export function tokenAt(text: string, p: Position, file: string): Token | undefined {
  const parsed = parseConfig(file, text);
  return parsed.tokens.find((t) => (t.kind === 'ident' || t.kind === 'string' || t.kind === 'number')
    && t.range.start.line === p.line && t.range.start.character <= p.character && p.character <= t.range.end.character);
}

/** The key of the assignment a token belongs to (the nearest key at or before it). */
export function keyOfToken(text: string, tok: Token, file: string): string | undefined {
  const parsed = parseConfig(file, text);
  const a = parsed.assignments.find((x) => x.range.start.line <= tok.range.start.line
    && (x.range.end.line > tok.range.start.line || (x.range.end.line === tok.range.start.line && x.range.end.character >= tok.range.end.character))
    && (x.range.start.line < tok.range.start.line || x.range.start.character <= tok.range.start.character));
  return a?.key;
}
