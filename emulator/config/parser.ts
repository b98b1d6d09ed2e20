// Parser for xl.cfg files. The grammar is Xen's (libxlu_cfg_y.y), restated:
//
//   file       := { stmt } [ assignment ]          -- the last line needs no newline
//   stmt       := assignment endstmt | endstmt
//   endstmt    := NEWLINE | ';'
//   assignment := IDENT '=' value | IDENT '+=' value
//   value      := atom | '[' nl* [ value nl* { ',' nl* value nl* } [ ',' nl* ] ] ']'
//   atom       := STRING | NUMBER
//
// Newlines are allowed anywhere inside brackets, a trailing comma is allowed, lists nest.
// On a syntax error xl discards the statement up to the next newline and carries on; we do
// the same, but also resynchronise on a line that starts a new `key =` when a list was left
// open, so one missing `]` does not swallow the rest of the file. The AST keeps exact ranges
// and comments (for the formatter and the language server).

import { ConfigDiagnostic, Range } from './diagnostics';
import { lex, PYTHON_HINT, Token } from './lexer';

export interface AtomValue {
  kind: 'atom';
  /** Whether it was written as a number or a quoted string. xl treats both as text. */
  atom: 'number' | 'string';
  text: string;
  range: Range;
  /** Source column of each character of `text` plus one for the end (see Token.columns). */
  columns: number[];
  line: number;
  valid: boolean;
}

export interface ListValue {
  kind: 'list';
  items: Value[];
  range: Range;
  open: Range;
  /** Missing when the list was never closed (already reported). */
  close?: Range;
}

export type Value = AtomValue | ListValue;

export interface Assignment {
  key: string;
  keyRange: Range;
  /** False if the key broke the lexical rules (already reported; validators skip it). */
  keyValid: boolean;
  op: '=' | '+=';
  value: Value;
  /** From the key to the end of the value. */
  range: Range;
}

export interface ParsedConfig {
  file: string;
  text: string;
  assignments: Assignment[];
  /** Every token, comments and newlines included, for the formatter. */
  tokens: Token[];
  diagnostics: ConfigDiagnostic[];
  /** True if the file has any lexical or syntax error (formatting is then refused). */
  hasErrors: boolean;
}

class SyntaxFailure extends Error {}

export function parseConfig(file: string, text: string): ParsedConfig {
  const lexed = lex(file, text);
  const all = lexed.tokens;
  const toks = all.filter((t) => t.kind !== 'comment');
  const diagnostics: ConfigDiagnostic[] = [...lexed.diagnostics];
  const assignments: Assignment[] = [];
  let syntaxErrors = 0;
  let p = 0;

  const peek = (k = 0): Token => toks[Math.min(p + k, toks.length - 1)];
  const next = (): Token => toks[Math.min(p++, toks.length - 1)];

  const fail = (tok: Token, message: string, at?: Range): never => {
    syntaxErrors++;
    const r = at ?? tok.range;
    // Like xl, stay quiet on a line that already has a lexical error: the cause is known.
    if (!lexed.errorLines.has(r.start.line)) {
      diagnostics.push({ file, range: r, severity: 'error', message, code: 'syntax' });
    }
    throw new SyntaxFailure(message);
  };

  const describe = (t: Token): string =>
    t.kind === 'eof' ? 'the end of the file'
      : t.kind === 'newline' ? 'the end of the line'
        : `\`${t.raw}\``;

  const skipNewlines = (): void => { while (peek().kind === 'newline') p++; };

  const parseValue = (key: string): Value => {
    const t = peek();
    if (t.kind === 'string' || t.kind === 'number') {
      p++;
      return {
        kind: 'atom', atom: t.kind, text: t.value, range: t.range, line: t.range.start.line,
        columns: t.columns ?? Array.from({ length: t.raw.length + 1 }, (_, k) => t.range.start.character + k),
        valid: t.valid,
      };
    }
    if (t.kind === '[') {
      p++;
      const items: Value[] = [];
      skipNewlines();
      for (;;) {
        const u = peek();
        if (u.kind === ']') {
          p++;
          return { kind: 'list', items, open: t.range, close: u.range, range: { start: t.range.start, end: u.range.end } };
        }
        if (u.kind === 'eof' || (u.kind === 'ident' && isStatementStart())) {
          fail(u, `unclosed \`[\` in the value of \`${key}\`: expected \`]\``, t.range);
        }
        items.push(parseValue(key));
        skipNewlines();
        const sep = peek();
        if (sep.kind === ',') { p++; skipNewlines(); continue; }
        if (sep.kind === ']') continue;
        if (sep.kind === 'eof' || (sep.kind === 'ident' && isStatementStart())) {
          fail(sep, `unclosed \`[\` in the value of \`${key}\`: expected \`]\``, t.range);
        }
        fail(sep, `expected \`,\` or \`]\` in the list of \`${key}\`, found ${describe(sep)}`);
      }
    }
    if (t.kind === 'ident') {
      return fail(t, `expected a value after \`${key} =\`, found the word \`${t.raw}\`: put text in quotes, e.g. "${t.raw}"`);
    }
    return fail(t, `expected a value after \`${key} =\` (a "string", a number or a [ list ]), found ${describe(t)}`);
  };

  /** True if the tokens at p look like `key =` at the start of a line. */
  function isStatementStart(): boolean {
    const t = peek();
    const prev = toks[p - 1];
    return t.kind === 'ident' && (peek(1).kind === '=' || peek(1).kind === '+=') && (prev === undefined || prev.kind === 'newline');
  }

  const parseAssignment = (): void => {
    const keyTok = next();
    const opTok = peek();
    if (opTok.kind !== '=' && opTok.kind !== '+=') {
      fail(opTok, `expected \`=\` after \`${keyTok.raw}\`, found ${describe(opTok)}`);
    }
    p++;
    const value = parseValue(keyTok.value);
    // `on-crash = 1` lexes as `on`, an error for `-crash`, then `= 1`: the key is not `on`.
    const brokenKey = lexed.diagnostics.some((d) => d.severity === 'error'
      && d.range.start.line === keyTok.range.end.line && d.range.start.character >= keyTok.range.end.character
      && d.range.start.line === opTok.range.start.line && d.range.start.character < opTok.range.start.character);
    assignments.push({
      key: keyTok.value, keyRange: keyTok.range, keyValid: keyTok.valid && !brokenKey, op: opTok.kind as '=' | '+=',
      value, range: { start: keyTok.range.start, end: value.range.end },
    });
    const end = peek();
    if (end.kind !== 'newline' && end.kind !== ';' && end.kind !== 'eof') {
      fail(end, `expected a new line or \`;\` after the value of \`${keyTok.value}\`, found ${describe(end)}`);
    }
  };

  /** Error recovery: skip to the end of the statement, or to a line that starts a new one. */
  const recover = (): void => {
    if (isStatementStart()) return;
    let depth = 0;
    while (peek().kind !== 'eof') {
      const t = peek();
      if (t.kind === '[') depth++;
      if (t.kind === ']') depth = Math.max(0, depth - 1);
      if ((t.kind === 'newline' || t.kind === ';') && depth === 0) { p++; return; }
      if (t.kind === 'newline' && depth > 0) {
        p++;
        if (isStatementStart()) return;
        continue;
      }
      p++;
    }
  };

  while (peek().kind !== 'eof') {
    const t = peek();
    try {
      if (t.kind === 'newline' || t.kind === ';') { p++; continue; }
      if (t.kind === 'ident') { parseAssignment(); continue; }
      fail(t, t.kind === 'string' || t.kind === 'number' || t.kind === '['
        ? `expected a key at the start of a statement, found ${describe(t)}: write \`key = value\``
        : `expected a key at the start of a statement, found ${describe(t)}`);
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      recover();
    }
  }

  const hasErrors = syntaxErrors > 0 || diagnostics.some((d) => d.severity === 'error');
  if (hasErrors && lexed.pythonAt) {
    diagnostics.push({ file, range: lexed.pythonAt, severity: 'warning', message: PYTHON_HINT, code: 'python' });
  }
  return { file, text, assignments, tokens: all, diagnostics, hasErrors };
}
