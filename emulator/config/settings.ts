// From a list of assignments to one effective value per key, with xl's semantics:
// a later `key = v` replaces an earlier one (xl keeps the last, silently — we warn, or in the
// system file, where hvlab owns the format, refuse), and `key += v` appends to the previous
// value: string to string, list to list. Mixing the two is xl's error "can't add [list] to
// "string" or vice versa".

import { ConfigDiagnostic } from './diagnostics';
import { Assignment, AtomValue, ParsedConfig, Value } from './parser';

export interface Setting {
  key: string;
  /** The effective value after `+=` concatenation. */
  value: Value;
  /** The assignments that produced it, in file order (usually one). */
  assignments: Assignment[];
  /** The last assignment: the place to point at for the key. */
  last: Assignment;
}

export interface SettingsOptions {
  /** How a second `key =` is treated: xl's domain files keep the last; hvlab's system file refuses. */
  duplicates: 'warn-last-wins' | 'error';
}

export function resolveSettings(parsed: ParsedConfig, opts: SettingsOptions, diagnostics: ConfigDiagnostic[]): Map<string, Setting> {
  const out = new Map<string, Setting>();
  const file = parsed.file;
  for (const a of parsed.assignments) {
    if (!a.keyValid) continue;
    const prev = out.get(a.key);
    if (!prev) {
      out.set(a.key, { key: a.key, value: a.value, assignments: [a], last: a });
      continue;
    }
    if (a.op === '+=') {
      const joined = concat(prev.value, a.value);
      if (!joined) {
        diagnostics.push({
          file, range: a.value.range, severity: 'error', code: 'type',
          message: `can't add [list] to "string" or vice versa: \`${a.key}\` was a ${prev.value.kind === 'list' ? 'list' : 'single value'} before`,
          related: [{ file, range: prev.last.value.range, message: `\`${a.key}\` was set here` }],
        });
        continue;
      }
      out.set(a.key, { key: a.key, value: joined, assignments: [...prev.assignments, a], last: a });
      continue;
    }
    const line = prev.last.keyRange.start.line + 1;
    diagnostics.push(opts.duplicates === 'error'
      ? {
        file, range: a.keyRange, severity: 'error', code: 'duplicate-key',
        message: `\`${a.key}\` is already set on line ${line}; set it once (use += to append)`,
        related: [{ file, range: prev.last.keyRange, message: `first setting of \`${a.key}\`` }],
      }
      : {
        file, range: a.keyRange, severity: 'warning', code: 'duplicate-key',
        message: `\`${a.key}\` is set again: xl uses this value and ignores the one on line ${line}`,
        related: [{ file, range: prev.last.keyRange, message: `ignored setting of \`${a.key}\`` }],
      });
    if (opts.duplicates === 'error') continue;
    out.set(a.key, { key: a.key, value: a.value, assignments: [a], last: a });
  }
  return out;
}

function concat(a: Value, b: Value): Value | undefined {
  if (a.kind === 'list' && b.kind === 'list') {
    return { ...b, items: [...a.items, ...b.items], range: b.range };
  }
  if (a.kind === 'atom' && b.kind === 'atom') {
    // The joined text has no single source position; point at the appended part and map
    // every character to its start so sub-ranges stay inside the file.
    const joined: AtomValue = {
      ...b,
      atom: 'string',
      text: a.text + b.text,
      columns: [...a.text.split('').map(() => b.range.start.character), ...b.columns],
    };
    return joined;
  }
  return undefined;
}
