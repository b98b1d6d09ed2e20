// Typed access to settings, reporting type and range errors the way a user understands
// them, at the value that is wrong. Mirrors xl's getters: a single value where a list is
// expected (or the reverse) is refused, `+=` on a number is refused, numbers convert like
// strtol(,,0).

import { ConfigDiagnostic, DiagnosticCode, Fix, Range, Severity } from './diagnostics';
import { parseXlNumber } from './numbers';
import { AtomValue, ListValue, Value } from './parser';
import { Setting } from './settings';

export class ValueReader {
  constructor(
    readonly file: string,
    readonly settings: Map<string, Setting>,
    readonly diagnostics: ConfigDiagnostic[],
  ) {}

  report(range: Range, severity: Severity, code: DiagnosticCode, message: string, extra?: { fixes?: Fix[]; related?: ConfigDiagnostic['related'] }): void {
    this.diagnostics.push({ file: this.file, range, severity, code, message, ...extra });
  }

  error(range: Range, code: DiagnosticCode, message: string, extra?: { fixes?: Fix[]; related?: ConfigDiagnostic['related'] }): void {
    this.report(range, 'error', code, message, extra);
  }

  has(key: string): boolean {
    return this.settings.has(key);
  }

  /** A single value (string or number written form), or undefined if absent or wrong type. */
  atom(key: string): AtomValue | undefined {
    const s = this.settings.get(key);
    if (!s) return undefined;
    if (s.value.kind === 'list') {
      this.error(s.value.range, 'type', `\`${key}\` should be a single value, not a list`);
      return undefined;
    }
    return s.value.valid ? s.value : undefined;
  }

  string(key: string): string | undefined {
    return this.atom(key)?.text;
  }

  number(key: string, min: number, max: number, unit = ''): number | undefined {
    const s = this.settings.get(key);
    if (!s) return undefined;
    if (s.assignments.length > 1 && s.last.op === '+=') {
      this.error(s.last.value.range, 'type', `can't use += with numbers for \`${key}\``);
      return undefined;
    }
    const a = this.atom(key);
    if (!a) return undefined;
    return this.numberOf(a, key, min, max, unit);
  }

  numberOf(a: AtomValue, what: string, min: number, max: number, unit = ''): number | undefined {
    const n = parseXlNumber(a.text);
    if (!n.ok) {
      this.error(a.range, 'type', `\`${what}\`: ${n.reason}`);
      return undefined;
    }
    if (n.value < min || n.value > max) {
      const u = unit ? ` ${unit}` : '';
      this.error(a.range, 'range', `\`${what}\` must be between ${min} and ${max}${u}; it is ${n.value}${u}`);
      return undefined;
    }
    return n.value;
  }

  boolean(key: string): boolean | undefined {
    const a = this.atom(key);
    if (!a) return undefined;
    const n = parseXlNumber(a.text);
    if (!n.ok) {
      this.error(a.range, 'type', `\`${key}\` is a boolean: write 0 (false) or 1 (true)`);
      return undefined;
    }
    return n.value !== 0;
  }

  list(key: string): ListValue | undefined {
    const s = this.settings.get(key);
    if (!s) return undefined;
    if (s.value.kind !== 'list') {
      const v = s.value;
      this.error(v.range, 'type', `\`${key}\` should be a list: write [ ${this.sourceOf(v)} ]`, {
        fixes: [{ title: `Put the value of \`${key}\` in a list`, edits: [{ file: this.file, range: v.range, newText: `[ ${this.sourceOf(v)} ]` }] }],
      });
      return undefined;
    }
    return s.value;
  }

  /** List items that are single values; nested lists are reported. */
  atomsOf(list: ListValue, key: string): AtomValue[] {
    const out: AtomValue[] = [];
    for (const item of list.items) {
      if (item.kind === 'list') {
        this.error(item.range, 'type', `the items of \`${key}\` are single values, not lists`);
      } else if (item.valid) {
        out.push(item);
      }
    }
    return out;
  }

  /** The written form of a value, for messages and fixes. */
  sourceOf(v: Value): string {
    if (v.kind === 'list') return `[ ${v.items.map((i) => this.sourceOf(i)).join(', ')} ]`;
    return v.atom === 'number' ? v.text : JSON.stringify(v.text);
  }
}

/** The range of characters [start, end) of an atom's text, inside the source. */
export function subRange(a: AtomValue, start: number, end: number): Range {
  const col = (i: number): number => a.columns[Math.max(0, Math.min(i, a.columns.length - 1))];
  const s = col(start);
  const e = end > start ? col(end - 1) + 1 : s;
  return { start: { line: a.line, character: s }, end: { line: a.line, character: Math.max(e, s) } };
}
