// Reading QEMU `-d cpu` style traces (QEMU's own, or hvlab's --trace) record by record, streaming:
// a record starts at a line beginning with " PC=" and runs to the next such line. Files can be
// many gigabytes, so the reader keeps only one chunk and the records not yet consumed.
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 << 20;
const MARK = '\n PC=';

export class RecordReader {
  private fd: number;
  private buf = '';
  private pos = 0;
  private eof = false;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private started = false;
  /** Text before the first record (QEMU may log other things first). */
  preamble = '';

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  private fill(): boolean {
    if (this.eof) return false;
    const n = readSync(this.fd, this.chunk, 0, CHUNK, null);
    if (n === 0) { this.eof = true; return false; }
    this.buf = this.buf.slice(this.pos) + this.chunk.toString('latin1', 0, n);
    this.pos = 0;
    return true;
  }

  private findStart(): boolean {
    for (;;) {
      if (this.buf.startsWith(' PC=', this.pos)) return true;
      const at = this.buf.indexOf(MARK, this.pos);
      if (at >= 0) {
        this.preamble += this.buf.slice(this.pos, at + 1);
        this.pos = at + 1;
        return true;
      }
      const keep = Math.max(this.pos, this.buf.length - MARK.length);
      this.preamble += this.buf.slice(this.pos, keep);
      this.pos = keep;
      if (!this.fill()) { this.preamble += this.buf.slice(this.pos); this.pos = this.buf.length; return false; }
    }
  }

  /** The next record's text (without its trailing newline), or undefined at the end. */
  next(): string | undefined {
    if (!this.started) {
      if (!this.findStart()) return undefined;
      this.started = true;
    }
    for (;;) {
      const end = this.buf.indexOf(MARK, this.pos + 1);
      if (end >= 0) {
        const rec = this.buf.slice(this.pos, end);
        this.pos = end + 1;
        return rec;
      }
      if (!this.fill()) {
        if (this.pos >= this.buf.length) return undefined;
        const rec = this.buf.slice(this.pos).replace(/\n$/, '');
        this.pos = this.buf.length;
        return rec;
      }
    }
  }

  close(): void {
    if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; }
  }
}

export interface Field { name: string; value: string }

/**
 * The fields of one record, in print order: PC, X00..X30, SP, PSTATE, FLAGS (`-Z--`), EL
 * (`EL1h`), then whatever else `NAME=value` appears (SVCR, BTYPE, FPCR, FPSR, Q00..Q31), and
 * `FPU` = `disabled` for QEMU's "FPU disabled". Lines that are not part of the register dump
 * (other -d output) are listed as `NOTE` fields so they are shown but not compared.
 */
export function parseRecord(text: string): Field[] {
  const out: Field[] = [];
  for (const line of text.split('\n')) {
    if (!/^\s*(PC|X\d\d|PSTATE|Q\d\d|Z\d\d|P\d\d|FFR)=/.test(line) && !/^\s*$/.test(line)) {
      out.push({ name: 'NOTE', value: line });
      continue;
    }
    const ps = /PSTATE=([0-9a-f]+) (\S{4}) (?:(NS|S) )?(EL\d[ht])/.exec(line);
    if (ps) {
      out.push({ name: 'PSTATE', value: ps[1] }, { name: 'FLAGS', value: ps[2] }, { name: 'EL', value: (ps[3] ? ps[3] + ' ' : '') + ps[4] });
      const rest = line.slice(ps.index + ps[0].length);
      for (const m of rest.matchAll(/([A-Z][A-Z0-9]*)=([0-9a-fA-F:]+)/g)) out.push({ name: m[1], value: m[2] });
      if (/FPU disabled/.test(rest)) out.push({ name: 'FPU', value: 'disabled' });
      continue;
    }
    for (const m of line.matchAll(/([A-Z][A-Z0-9]*)=([0-9a-fA-F:]+)/g)) out.push({ name: m[1], value: m[2] });
  }
  return out;
}

/** Field-by-field comparison; NOTE fields never count as differences. */
export function compareFields(a: Field[], b: Field[]): { name: string; a?: string; b?: string; differs: boolean }[] {
  const mb = new Map(b.filter((f) => f.name !== 'NOTE').map((f) => [f.name, f.value]));
  const seen = new Set<string>();
  const rows: { name: string; a?: string; b?: string; differs: boolean }[] = [];
  for (const f of a) {
    if (f.name === 'NOTE') continue;
    seen.add(f.name);
    const v = mb.get(f.name);
    rows.push({ name: f.name, a: f.value, b: v, differs: v !== f.value });
  }
  for (const f of b) {
    if (f.name === 'NOTE' || seen.has(f.name)) continue;
    rows.push({ name: f.name, a: undefined, b: f.value, differs: true });
  }
  return rows;
}

export function recordPc(text: string): bigint | undefined {
  const m = /PC=([0-9a-f]{16})/.exec(text);
  return m ? BigInt('0x' + m[1]) : undefined;
}
