// Lockstep comparison of two instruction traces in QEMU's `-d cpu` format: QEMU's own and hvlab's
// (--trace). Streams both files record by record and reports the first record where they differ,
// with the instruction that produced the difference and both states side by side.
import { compareFields, parseRecord, recordPc, RecordReader } from './records';

export interface TraceDiffOptions {
  /** Compare at most this many records. */
  max?: number;
  /** Previous records to list before the first difference. */
  context?: number;
  /** `0x…: word  disassembly` for an instruction address (hvlab's decoder and memory). */
  describePc?: (pc: bigint) => string;
  /**
   * A trace that may legitimately stop early (e.g. QEMU killed after --max records or at the
   * timeout): its end is not a difference.
   */
  truncated?: 'qemu' | 'hvlab';
  /** Extra lines for when hvlab's trace ends first (its stop reason). */
  hvlabEndNote?: string;
}

export interface DifferingField { name: string; qemu?: string; hvlab?: string }

export interface TraceDiffResult {
  identical: boolean;
  /** Records compared (pairs read from both files). */
  compared: number;
  qemuRecords: number;
  hvlabRecords: number;
  /** Index (0-based = instructions executed before it) of the first differing record. */
  firstDiff?: number;
  /** PC of the first differing record. */
  pc?: bigint;
  /** PC of the instruction before it (the one that produced the difference). */
  prevPc?: bigint;
  fields: DifferingField[];
  /** Human-readable report. */
  report: string;
}

const hex = (v: bigint | undefined): string => (v === undefined ? '?' : '0x' + v.toString(16));

export function diffTraces(qemuPath: string, hvlabPath: string, opts: TraceDiffOptions = {}): TraceDiffResult {
  const q = new RecordReader(qemuPath), h = new RecordReader(hvlabPath);
  const context = opts.context ?? 5;
  const max = opts.max ?? Infinity;
  const describe = (pc: bigint | undefined): string => (pc === undefined ? '?' : opts.describePc ? opts.describePc(pc) : hex(pc));
  const recent: { index: number; pc?: bigint }[] = [];
  let index = 0;
  try {
    for (; index < max; index++) {
      const a = q.next(), b = h.next();
      if (a === undefined || b === undefined) {
        const res = (identical: boolean, report: string): TraceDiffResult => ({
          identical, compared: index, qemuRecords: index + (a === undefined ? 0 : 1), hvlabRecords: index + (b === undefined ? 0 : 1),
          firstDiff: identical ? undefined : index, pc: recordPc(a ?? b ?? ''), prevPc: recent[recent.length - 1]?.pc, fields: [], report,
        });
        if (a === undefined && b === undefined) return res(true, `traces identical: ${index} records`);
        const ended = a === undefined ? 'qemu' : 'hvlab';
        if (opts.truncated === ended) return res(true, `traces identical for ${index} records (${ended}'s trace was cut short; the other continues at PC ${hex(recordPc(a ?? b ?? ''))})`);
        const L = [`traces differ at record ${index} (after ${index} instructions): ${ended}'s trace ends, the other continues at PC ${hex(recordPc(a ?? b ?? ''))}`];
        if (ended === 'hvlab' && opts.hvlabEndNote) L.push(opts.hvlabEndNote);
        L.push(...contextLines(context ? recent.slice(-context) : [], describe));
        return res(false, L.join('\n'));
      }
      if (a !== b) {
        const rows = compareFields(parseRecord(a), parseRecord(b));
        if (rows.some((r) => r.differs)) {
          const pc = recordPc(a), prevPc = recent[recent.length - 1]?.pc;
          const L: string[] = [];
          L.push(`traces differ at record ${index} (after ${index} instructions), PC ${hex(pc)}`);
          if (prevPc !== undefined) L.push(`produced by the previous instruction: ${describe(prevPc)}`);
          else L.push('(the very first record: the initial states differ)');
          L.push(...contextLines(context ? recent.slice(-context) : [], describe));
          L.push('', `state before the instruction at ${hex(pc)}:`, `  ${'field'.padEnd(8)} ${'qemu'.padEnd(34)} hvlab`);
          for (const r of rows) {
            L.push(`  ${r.name.padEnd(8)} ${(r.a ?? '(missing)').padEnd(34)} ${r.b ?? '(missing)'}${r.differs ? '  <--' : ''}`);
          }
          const fields = rows.filter((r) => r.differs).map((r) => ({ name: r.name, qemu: r.a, hvlab: r.b }));
          L.push('', 'differing: ' + fields.map((f) => `${f.name}: qemu ${f.qemu ?? '(missing)'}  hvlab ${f.hvlab ?? '(missing)'}`).join('; '));
          return { identical: false, compared: index + 1, qemuRecords: index + 1, hvlabRecords: index + 1, firstDiff: index, pc, prevPc, fields, report: L.join('\n') };
        }
      }
      recent.push({ index, pc: recordPc(a) });
      if (recent.length > Math.max(1, context)) recent.shift();
    }
    return { identical: true, compared: index, qemuRecords: index, hvlabRecords: index, fields: [], report: `traces identical for the first ${index} records (--max)` };
  } finally {
    q.close();
    h.close();
  }
}

function contextLines(recent: { index: number; pc?: bigint }[], describe: (pc: bigint | undefined) => string): string[] {
  if (!recent.length) return [];
  return ['', 'previous instructions:', ...recent.map((r) => `  #${String(r.index).padStart(8)}  ${describe(r.pc)}`)];
}
