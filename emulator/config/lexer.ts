// Tokenizer for Xen's xl.cfg language, following the rules of Xen's own flex lexer
// (tools/libs/util/libxlu_cfg_l.l) — facts learnt from it, no code taken:
//   - a key is [a-z][._0-9a-z]*  (lower case only; `Memory` is a lexical error in xl)
//   - a number token is [0-9][0-9a-fx]*, kept as text and converted later like strtol(,,0)
//     (decimal, 0x hex, 0-prefixed octal)
//   - strings are '...' or "..." on one line, with backslash escapes
//   - `#` starts a comment that runs to the end of the line; newline or `;` ends a statement
//   - `=`, `+=`, `,`, `[`, `]` are punctuation; blanks are spaces and tabs
//   - any of + - . ( ) : outside a string marks the file as "likely Python", which makes xl
//     print its hint about Python no longer being supported
// Where xl is merely terse we are friendlier (an upper-case key or `0x1F` gets a message
// saying what is wrong), but we accept and reject the same inputs, except that a CR before
// a newline is tolerated (with a warning) because editors on Windows write them.

import { ConfigDiagnostic, Fix, Range } from './diagnostics';

export type TokenKind =
  | 'ident'
  | 'number'
  | 'string'
  | '='
  | '+='
  | ','
  | '['
  | ']'
  | ';'
  | 'newline'
  | 'comment'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: with quotes; for comments: from `#`). */
  raw: string;
  /** Decoded value: identifier or number text, or the string's content after escapes. */
  value: string;
  start: number;
  end: number;
  range: Range;
  /**
   * For strings: source column of each decoded character, plus one entry for the end, so a
   * validator can point at a piece of a string (one CPU in "0-3,^9"). Strings never span lines.
   */
  columns?: number[];
  /** False when the token broke a lexical rule and was already reported (kept for recovery). */
  valid: boolean;
}

export interface LexResult {
  tokens: Token[];
  diagnostics: ConfigDiagnostic[];
  /** Lines (0-based) on which a lexical error was reported; the parser stays quiet there. */
  errorLines: Set<number>;
  /** First place where a Python-looking character appeared, if any. */
  pythonAt?: Range;
}

const PYTHON_CHARS = new Set(['+', '-', '.', '(', ')', ':']);

function isLower(c: string): boolean { return c >= 'a' && c <= 'z'; }
function isDigit(c: string): boolean { return c >= '0' && c <= '9'; }
function isWordChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c === '_' || c === '.';
}

export function lex(file: string, text: string): LexResult {
  const tokens: Token[] = [];
  const diagnostics: ConfigDiagnostic[] = [];
  const errorLines = new Set<number>();
  let pythonAt: Range | undefined;
  let i = 0;
  let line = 0;
  let lineStart = 0;
  let crWarned = false;

  const rangeOf = (s: number, e: number): Range =>
    ({ start: { line, character: s - lineStart }, end: { line, character: e - lineStart } });
  const lexError = (s: number, e: number, message: string, fixes?: Fix[]): void => {
    diagnostics.push({ file, range: rangeOf(s, e), severity: 'error', message, code: 'lexical', fixes });
    errorLines.add(line);
  };
  const push = (kind: TokenKind, s: number, e: number, value: string, valid = true, columns?: number[]): void => {
    tokens.push({ kind, raw: text.slice(s, e), value, start: s, end: e, range: rangeOf(s, e), valid, columns });
  };

  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') {
      if (!crWarned) {
        crWarned = true;
        diagnostics.push({
          file, range: rangeOf(i, i + 1), severity: 'warning', code: 'crlf',
          message: 'this file has Windows (CRLF) line endings; xl rejects the carriage return as a lexical error — save it with LF line endings',
        });
      }
      i++;
      continue;
    }
    if (c === '\n') {
      push('newline', i, i + 1, '\n');
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      let e = i;
      while (e < text.length && text[e] !== '\n' && !(text[e] === '\r' && text[e + 1] === '\n')) e++;
      push('comment', i, e, text.slice(i + 1, e));
      i = e;
      continue;
    }
    if (c === '+' && text[i + 1] === '=') { push('+=', i, i + 2, '+='); i += 2; continue; }
    if (c === '=' || c === ',' || c === '[' || c === ']' || c === ';') {
      push(c, i, i + 1, c);
      i++;
      continue;
    }
    if (c === '"' || c === '\'') {
      i = lexString(i, c);
      continue;
    }
    if (isLower(c) || (c >= 'A' && c <= 'Z') || c === '_') {
      let e = i + 1;
      while (e < text.length && isWordChar(text[e])) e++;
      const word = text.slice(i, e);
      const valid = /^[a-z][._0-9a-z]*$/.test(word);
      if (!valid) {
        const lower = word.toLowerCase();
        const fixable = /^[a-z][._0-9a-z]*$/.test(lower);
        lexError(i, e, `\`${word}\` is not a valid key: xl.cfg keys start with a lower-case letter and contain only a-z, 0-9, \`_\` and \`.\``
          + (fixable ? ` (did you mean \`${lower}\`?)` : ''),
        fixable ? [{ title: `Change to \`${lower}\``, edits: [{ file, range: rangeOf(i, e), newText: lower }] }] : undefined);
      }
      push('ident', i, e, word, valid);
      i = e;
      continue;
    }
    if (isDigit(c)) {
      let e = i + 1;
      while (e < text.length && (isWordChar(text[e]))) e++;
      const word = text.slice(i, e);
      const valid = /^[0-9][0-9a-fx]*$/.test(word);
      if (!valid) {
        if (word.includes('.') && pythonAt === undefined) pythonAt = rangeOf(i, e);
        const fixable = /^[0-9][0-9a-fx]*$/.test(word.toLowerCase());
        const why = word.includes('.')
          ? 'xl.cfg numbers are whole numbers'
          : fixable ? 'write hex digits in lower case' : 'numbers are decimal, 0x hex or 0-prefixed octal, without units';
        lexError(i, e, `\`${word}\` is not a valid number: ${why}`,
          fixable ? [{ title: `Change to \`${word.toLowerCase()}\``, edits: [{ file, range: rangeOf(i, e), newText: word.toLowerCase() }] }] : undefined);
      }
      push('number', i, e, word, valid);
      i = e;
      continue;
    }
    // Anything else is a lexical error. Like xl, swallow the rest of the word so that one
    // stray character gives one message, and remember Python-looking punctuation.
    let e = i + 1;
    while (e < text.length && !' \t\n'.includes(text[e]) && !(text[e] === '\r' && text[e + 1] === '\n')) e++;
    if (PYTHON_CHARS.has(c) && pythonAt === undefined) pythonAt = rangeOf(i, e);
    lexError(i, e, `lexical error near \`${text.slice(i, e)}\`: \`${c}\` is not part of the xl.cfg language`);
    i = e;
  }
  push('eof', i, i, '');
  return { tokens, diagnostics, errorLines, pythonAt };

  /** Lexes a quoted string starting at `s`; returns the offset after it. */
  function lexString(s: number, quote: string): number {
    let j = s + 1;
    let value = '';
    const columns: number[] = [];
    let ok = true;
    while (j < text.length && text[j] !== quote && text[j] !== '\n') {
      if (text[j] === '\\') {
        const nc = text[j + 1];
        if (nc === undefined || nc === '\n') { j++; break; }
        const simple: Record<string, string> = {
          '"': '"', '\'': '\'', '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
        };
        if (nc in simple) {
          columns.push(j - lineStart);
          value += simple[nc];
        } else {
          ok = false;
          const what = nc === 'x' || (nc >= '0' && nc <= '7')
            ? `\`\\${nc}\`: xl cannot decode numeric escapes in strings (libxlu rejects or drops them); write the character itself`
            : `invalid character after backslash in quoted string: \`\\${nc}\``;
          lexError(j, j + 2, what);
        }
        j += 2;
        continue;
      }
      columns.push(j - lineStart);
      value += text[j];
      j++;
    }
    if (text[j] !== quote) {
      // xl sees the lone quote as a lexical error; say what the user most likely forgot.
      let e = j;
      if (text[e - 1] === '\r') e--;
      lexError(s, e, `unterminated string: add the closing ${quote} (strings cannot span lines)`);
      columns.push(e - lineStart);
      push('string', s, e, value, false, columns);
      return e;
    }
    columns.push(j - lineStart);
    push('string', s, j + 1, value, ok, columns);
    return j + 1;
  }
}

/** The exact hint xl prints when a file that failed to parse looked like Python. */
export const PYTHON_HINT =
  'Config file looks like it contains Python code. Arbitrary Python is no longer supported. See https://wiki.xen.org/wiki/PythonInXlConfig';
