// Canonical layout for xl.cfg files: `key = value`, one statement per line, lists as
// `[ a, b ]` on one line or, if they were written over several lines, one item per line
// with a trailing comma; comments kept where they were; at most one blank line in a row;
// one newline at the end. Formatting is stable (formatting twice gives the same text as
// formatting once) because the choice between the two list layouts depends only on whether
// the list already spans lines. Files with syntax errors are left alone.

import { parseConfig } from './parser';
import { Token } from './lexer';

const INDENT = '    ';

export function formatConfig(text: string, file = 'untitled'): string | undefined {
  const parsed = parseConfig(file, text);
  if (parsed.hasErrors) return undefined;
  const toks = parsed.tokens.filter((t) => t.kind !== 'eof');
  const lines: string[] = [];
  let i = 0;
  let blank = 0;
  let atLineStart = true;

  const append = (s: string): void => { lines[lines.length - 1] += s; };
  const comment = (t: Token): string => t.raw.replace(/\s+$/, '');

  const startLine = (s: string): void => {
    if (lines.length > 0 && blank > 0) lines.push('');
    blank = 0;
    lines.push(s);
  };

  const formatValue = (depth: number): void => {
    const t = toks[i];
    if (t.kind !== '[') { append(t.raw); i++; return; }
    // Find the matching bracket and whether the list spans lines.
    let d = 0;
    let j = i;
    let multiline = false;
    for (; j < toks.length; j++) {
      const u = toks[j];
      if (u.kind === '[') d++;
      else if (u.kind === ']') { d--; if (d === 0) break; }
      else if (u.kind === 'newline' || u.kind === 'comment') multiline = true;
    }
    i++;
    if (!multiline) {
      const parts: string[] = [];
      while (toks[i].kind !== ']') {
        if (toks[i].kind === ',') { i++; continue; }
        const before = lines.length;
        lines.push('');
        formatValue(depth + 1);
        parts.push(lines.splice(before).join('\n'));
      }
      i++;
      append(parts.length ? `[ ${parts.join(', ')} ]` : '[]');
      return;
    }
    append('[');
    let sawNewline = false;
    while (toks[i].kind !== ']') {
      const u = toks[i];
      if (u.kind === 'newline') { sawNewline = true; i++; continue; }
      if (u.kind === ',') { i++; continue; }
      if (u.kind === 'comment') {
        if (sawNewline) lines.push(INDENT.repeat(depth + 1) + comment(u));
        else append(` ${comment(u)}`);
        i++;
        continue;
      }
      lines.push(INDENT.repeat(depth + 1));
      formatValue(depth + 1);
      append(',');
      sawNewline = false;
    }
    i++;
    lines.push(`${INDENT.repeat(depth)}]`);
  };

  while (i < toks.length) {
    const t = toks[i];
    if (t.kind === 'newline') {
      if (atLineStart) blank++;
      atLineStart = true;
      i++;
      continue;
    }
    if (t.kind === ';') { i++; continue; }
    if (t.kind === 'comment') {
      if (atLineStart) startLine(comment(t));
      else append(` ${comment(t)}`);
      atLineStart = false;
      i++;
      continue;
    }
    // An assignment: key, operator, value (the parser has vouched for the shape).
    startLine(`${t.raw} ${toks[i + 1].raw} `);
    i += 2;
    formatValue(0);
    atLineStart = false;
  }
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\n')}\n` : '';
}
