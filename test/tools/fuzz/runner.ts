// The risu-style random differential tester: draws words per class (generator.ts), runs them in
// batches of snippet cases on QEMU and on hvlab, and classifies every case.
//
// Both sides survive a faulting instruction so one bad word does not cost a whole batch:
// - QEMU: the first case installs a vector table whose handler prints a `!XY` token (exception
//   class, two characters '@'+nibble) to the UART, steps ELR_EL1 past the instruction and ERETs;
//   `-d int` logs the exception with its ELR, which tells the case and the instruction.
// - hvlab (no exception model yet): the runner catches the stop (UNDEFINED, fault, or a JS
//   exception thrown by a handler), records it, and resumes at the next instruction.
// A case where both sides refuse the word the same way (UNDEFINED on both) is "both-undef", not a
// mismatch; anything else that differs is a mismatch with a standalone reproducer.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { InsnClass } from '../../../emulator/arch/encoding';
import { a64Decoder, type Decoder } from '../../../emulator/arch/decoder';
import type { StopReason } from '../../../emulator/cpu/cpu';
import type { ExceptionEvent } from '../../../emulator/cpu/exceptions';
import { VirtBoard } from '../../../emulator/machine/virt-board';
import { runQemu } from '../harness/runners';
import { diffDumps, snippetSource, type SnippetState } from '../harness/snippet';
import { buildAsm, CACHE_DIR, readElf } from '../harness/toolchain';
import { ALL_CLASSES, buildCase, classEncodings, drawCandidates, wordLabel, type BuildContext, type FuzzCase } from './generator';
import { Rng } from './prng';

export interface FuzzOptions {
  seed: number;
  /** Cases per class. */
  count: number;
  classes?: readonly InsnClass[];
  /** Cases per program (one QEMU boot each). */
  batchSize?: number;
  /** Re-run up to this many mismatches standalone to confirm them (default 12). */
  confirm?: number;
  /** Where reproducers go (default .test-cache/fuzz/<seed>). */
  outDir?: string;
  log?: (line: string) => void;
  /** Probability of a deliberately misaligned exclusive/atomic/ordered access (default 0.05). */
  misalign?: number;
}

export type MismatchKind = 'state' | 'hvlab-stop' | 'qemu-exception' | 'exception-kind' | 'setup';

export interface FuzzMismatch {
  cls: InsnClass;
  name: string;
  word: number;
  text: string;
  kind: MismatchKind;
  /** One line: the first differing field (field, qemu value, hvlab value) or the stop. */
  summary: string;
  details: string[];
  caseId: number;
  reproducer?: string;
  /** Re-run standalone: true = same mismatch, false = did not reproduce, undefined = not tried. */
  confirmed?: boolean;
}

export interface ClassStats {
  cls: InsnClass;
  encodings: number;
  encodingsCovered: Set<string>;
  generated: number;
  compared: number;
  mismatches: number;
  bothUndef: number;
  /** Cases where the word faulted on both sides (data abort / alignment), states then compared. */
  bothFault: number;
  skipped: Map<string, number>;
  mismatchNames: Set<string>;
}

export interface FuzzReport {
  seed: number;
  stats: ClassStats[];
  mismatches: FuzzMismatch[];
  /** Problems that stopped a batch from being compared (harness cannot run, QEMU died…). */
  errors: string[];
  seconds: number;
}

// ------------------------------------------------------------------ the vector-table case

const VECTOR_CASE_BODY = [
  'adr x0, fz_vectors',
  'msr vbar_el1, x0',
  'isb',
  'b fz_vectors_end',
  '.balign 2048',
  'fz_vectors:',
  '.rept 16',
  'msr tpidr_el1, x0',
  'msr tpidrro_el0, x1',
  'movz x0, #0x0900, lsl #16',
  "mov w1, #'!'",
  'strb w1, [x0]',
  'mrs x1, esr_el1',
  'ubfx x1, x1, #30, #2',
  'add x1, x1, #0x40',
  'strb w1, [x0]',
  'mrs x1, esr_el1',
  'ubfx x1, x1, #26, #4',
  'add x1, x1, #0x40',
  'strb w1, [x0]',
  "mov w1, #' '",
  'strb w1, [x0]',
  'mrs x1, elr_el1',
  'add x1, x1, #4',
  'msr elr_el1, x1',
  'mrs x1, tpidrro_el0',
  'mrs x0, tpidr_el1',
  'eret',
  '.balign 128',
  '.endr',
  'fz_vectors_end:',
];

/** Isolation at the start of every case, using only instructions hvlab's table has. */
function prologueFor(decoder: Decoder): string[] {
  const candidates: [string, number][] = [
    ['msr fpsr, xzr', 0xd51b443f], ['msr fpcr, xzr', 0xd51b441f], ['msr tpidr_el0, xzr', 0xd51bd05f], ['clrex', 0xd503305f],
  ];
  return candidates.filter(([, w]) => decoder.decode(w) !== undefined).map(([s]) => s);
}

// ------------------------------------------------------------------ symbols and logs

function symbols(elf: string): Map<string, bigint> {
  const out = execFileSync('aarch64-linux-gnu-nm', [elf], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = new Map<string, bigint>();
  for (const line of out.split('\n')) {
    const p = line.trim().split(/\s+/);
    if (p.length === 3) m.set(p[2], BigInt('0x' + p[0]));
  }
  return m;
}

interface QemuException { name: string; ec: number; esr: string; elr?: bigint }

function parseIntLog(text: string): QemuException[] {
  const out: QemuException[] = [];
  let cur: QemuException | undefined;
  for (const line of text.split('\n')) {
    const t = /^Taking exception \d+ \[([^\]]+)\]/.exec(line);
    if (t) { cur = { name: t[1], ec: -1, esr: '' }; out.push(cur); continue; }
    if (!cur) continue;
    const e = /^\.\.\.with ESR 0x([0-9a-f]+)\/0x([0-9a-f]+)/.exec(line);
    if (e) { cur.ec = parseInt(e[1], 16); cur.esr = e[2]; continue; }
    const r = /^\.\.\.with ELR 0x([0-9a-f]+)/.exec(line);
    if (r) cur.elr = BigInt('0x' + r[1]);
  }
  return out;
}

const jsonStop = (s: StopReason): string => JSON.stringify(s, (_k, v) => typeof v === 'bigint' ? '0x' + v.toString(16) : v);

interface HvlabEvent { pc: bigint; what: string; undefined: boolean; ec?: number; esr?: number }

/**
 * Runs the ELF on hvlab, stepping over instructions that stop it inside case bodies. Every
 * exception is intercepted through the CPU's trap hook before it is taken (so hvlab's own vector
 * handling is not needed), recorded with its ESR, and the instruction is skipped like QEMU's
 * vector handler does.
 */
function runHvlabResilient(elf: string, maxInsns: number, inBody: (pc: bigint) => boolean): { output: string; events: HvlabEvent[]; fatal?: string } {
  const bytes: number[] = [];
  const board = new VirtBoard({ cpu: 'max', smp: 1, memory: 128 * 2 ** 20, uartOut: (b) => bytes.push(b) });
  board.loadElf(readElf(elf), elf);
  const cpu = board.cpus[0];
  let lastEv: ExceptionEvent | undefined;
  cpu.trapHook = (_c, ev) => {
    lastEv = ev;
    return { kind: 'fault', pc: ev.pc, message: `exception EC 0x${(ev.esr >>> 26).toString(16)} (ESR 0x${ev.esr.toString(16)})${ev.reason ? ': ' + ev.reason : ''}` };
  };
  const events: HvlabEvent[] = [];
  let fatal: string | undefined;
  const start = cpu.retired;
  for (;;) {
    const left = maxInsns - (cpu.retired - start);
    if (left <= 0) { fatal = 'hvlab: instruction limit reached (guest hung?)'; break; }
    let stop: StopReason | undefined, thrown: string | undefined;
    lastEv = undefined;
    try {
      stop = board.run(left);
    } catch (e) {
      thrown = `hvlab threw ${(e as Error).name}: ${(e as Error).message}`;
    }
    if (!thrown && !stop) continue;
    if (stop && (stop.kind === 'poweroff' || stop.kind === 'reset')) break;
    const pc = cpu.pc;
    const ev = lastEv as ExceptionEvent | undefined;
    const ec = ev && ev.pc === pc ? ev.esr >>> 26 : undefined;
    const what = thrown ?? (stop!.kind === 'undefined' ? `UNDEFINED (${stop!.reason})` : stop!.kind === 'fault' ? stop!.message : jsonStop(stop!));
    if (!inBody(pc)) { fatal = `hvlab stopped outside the case bodies at PC 0x${pc.toString(16)}: ${what}`; break; }
    events.push({ pc, what, undefined: stop?.kind === 'undefined' || ec === 0, ec, esr: ec === undefined ? undefined : ev!.esr >>> 0 });
    cpu.stopReason = undefined;
    cpu.jumped = false;
    cpu.pc = pc + 4n;
  }
  return { output: Buffer.from(bytes).toString('latin1'), events, fatal };
}

/** Splits a dump line into exception tokens (`!XY`) and the dump proper. */
function splitLine(line: string): { tokens: string[]; dump: string } {
  const parts = line.trim().split(/\s+/).filter((p) => p !== '');
  return { tokens: parts.filter((p) => p.startsWith('!')), dump: parts.filter((p) => !p.startsWith('!')).join(' ') };
}
const tokenEc = (t: string): number => ((t.charCodeAt(1) - 0x40) << 4) | (t.charCodeAt(2) - 0x40);

// ------------------------------------------------------------------ one batch

interface BatchOutcome { mismatches: FuzzMismatch[]; compared: FuzzCase[]; bothUndef: FuzzCase[]; bothFault: FuzzCase[]; error?: string }

export function runBatch(cases: FuzzCase[], decoder: Decoder, tag = 'fuzz'): BatchOutcome {
  const all: { body: string[]; state?: SnippetState }[] = [{ body: VECTOR_CASE_BODY }, ...cases.map((c) => ({ body: c.body, state: c.state }))];
  const source = snippetSource(all);
  const elf = buildAsm(source, tag);
  const sym = symbols(elf);
  const ranges = all.map((_, k) => [sym.get(`body_${k}`)!, sym.get(`body_end_${k}`)!] as const);
  const caseOf = (pc: bigint): number => ranges.findIndex(([a, b]) => pc >= a && pc < b);
  const inBody = (pc: bigint): boolean => caseOf(pc) >= 0;

  const hv = runHvlabResilient(elf, (all.length + 1) * 100_000, inBody);
  const out: BatchOutcome = { mismatches: [], compared: [], bothUndef: [], bothFault: [] };
  if (hv.fatal) { out.error = hv.fatal; return out; }
  const logPath = elf.replace(/\.elf$/, '.int.log');
  if (existsSync(logPath)) rmSync(logPath);
  const q = runQemu(elf, { extraArgs: ['-d', 'int', '-D', logPath], timeoutMs: 120000 });
  if (q.error) { out.error = q.error; return out; }
  const qexc = existsSync(logPath) ? parseIntLog(readFileSync(logPath, 'latin1')) : [];
  const ql = q.output.split('\n'), hl = hv.output.split('\n');

  const hvBy = new Map<number, HvlabEvent[]>();
  for (const e of hv.events) { const k = caseOf(e.pc); hvBy.set(k, [...(hvBy.get(k) ?? []), e]); }
  const qBy = new Map<number, QemuException[]>();
  for (const e of qexc) {
    if (e.elr === undefined) continue; // the final PSCI call
    const k = caseOf(e.elr);
    if (k < 0) { out.error = `QEMU took ${e.name} (ESR 0x${e.esr}) outside the case bodies at 0x${e.elr.toString(16)}`; continue; }
    qBy.set(k, [...(qBy.get(k) ?? []), e]);
  }

  cases.forEach((c, i) => {
    const k = i + 1;
    const wpc = sym.get(wordLabel(c.id))!;
    const hvs = hvBy.get(k) ?? [], qs = qBy.get(k) ?? [];
    const mm = (kind: MismatchKind, summary: string, details: string[] = []): void => {
      out.mismatches.push({ cls: c.cls, name: c.name, word: c.word, text: c.text, kind, summary, details, caseId: c.id });
    };
    const setupStop = hvs.find((e) => e.pc !== wpc);
    if (setupStop) {
      mm('setup', `hvlab cannot run setup instruction at +0x${(setupStop.pc - ranges[k][0]).toString(16)}: ${setupStop.what}`, [`body: ${c.body.join('; ')}`]);
      return;
    }
    const qSetup = qs.find((e) => e.elr !== wpc);
    if (qSetup) { out.error = `case ${c.id}: QEMU took ${qSetup.name} in a setup instruction (body: ${c.body.join('; ')})`; return; }
    const hvWord = hvs.find((e) => e.pc === wpc), qWord = qs.find((e) => e.elr === wpc);
    const qLine = splitLine(ql[k] ?? ''), hLine = splitLine(hl[k] ?? '');
    const diffs = diffDumps(qLine.dump, hLine.dump);
    // exception tokens printed by hvlab itself (once it takes exceptions architecturally)
    if (hLine.tokens.length) {
      if (qLine.tokens.join() !== hLine.tokens.join()) diffs.unshift(`exceptions: qemu ${qLine.tokens.map(tokenEc).map((e) => 'EC 0x' + e.toString(16)).join(',') || 'none'} hvlab ${hLine.tokens.map(tokenEc).map((e) => 'EC 0x' + e.toString(16)).join(',') || 'none'}`);
    }
    if (hvWord && qWord) {
      if (hvWord.undefined && qWord.ec === 0) { out.bothUndef.push(c); return; }
      // the same exception on both sides: same class, and the same syndrome where hvlab gives one
      const same = hvWord.ec !== undefined
        ? hvWord.ec === qWord.ec && hvWord.esr === parseInt(qWord.esr, 16)
        : !hvWord.undefined && (qWord.ec === 0x24 || qWord.ec === 0x25 || qWord.ec === 0x26);
      if (!same) {
        mm('exception-kind', `QEMU: ${qWord.name} (ESR 0x${qWord.esr}); hvlab: ${hvWord.what}`, diffs);
        return;
      }
      out.bothFault.push(c); // and the states after the skipped instruction are compared below
    } else if (hvWord) {
      mm('hvlab-stop', `hvlab: ${hvWord.what}; QEMU executes it`, diffs);
      return;
    } else if (qWord) {
      mm('qemu-exception', `QEMU takes ${qWord.name} (EC 0x${qWord.ec.toString(16)}, ESR 0x${qWord.esr}); hvlab executes it${diffs.length ? `; ${diffs[0]}` : ''}`, diffs);
      return;
    }
    out.compared.push(c);
    if (diffs.length) mm('state', diffs[0] + (diffs.length > 1 ? ` (+${diffs.length - 1} more)` : ''), diffs);
  });
  return out;
}

// ------------------------------------------------------------------ the whole run

export function runFuzz(opts: FuzzOptions): FuzzReport {
  const t0 = Date.now();
  const log = opts.log ?? ((): void => undefined);
  const decoder = a64Decoder();
  const classes = opts.classes ?? ALL_CLASSES;
  const rng = new Rng(opts.seed);
  const ctx: BuildContext = { decoder, prologue: prologueFor(decoder), misalign: opts.misalign ?? 0.05 };
  const stats: ClassStats[] = [];
  const cases: FuzzCase[] = [];
  let nextId = 0;

  for (const cls of classes) {
    const encs = classEncodings(decoder, cls);
    const st: ClassStats = { cls, encodings: encs.length, encodingsCovered: new Set(), generated: 0, compared: 0, mismatches: 0, bothUndef: 0, bothFault: 0, skipped: new Map(), mismatchNames: new Set() };
    stats.push(st);
    const crng = new Rng(rng.u32()); // per-class stream: --class C reproduces the same words
    const dead = new Set<string>();
    const cursor = { i: 0 };
    shuffle(encs, crng);
    for (let round = 0; round < 12 && st.generated < opts.count; round++) {
      const need = opts.count - st.generated;
      const cands = drawCandidates(decoder, encs, Math.ceil(need * 1.3) + 4, crng, dead, cursor);
      if (!cands.length) break;
      for (const cand of cands) {
        if (st.generated >= opts.count) break;
        const id = nextId++;
        const b = buildCase(cand, crng.fork(), id, ctx);
        if ('skip' in b) { st.skipped.set(b.skip, (st.skipped.get(b.skip) ?? 0) + 1); continue; }
        cases.push({ id, cls, name: cand.enc.name, word: b.word, text: cand.text, body: b.body, state: b.state });
        st.generated++;
        st.encodingsCovered.add(cand.enc.name);
      }
    }
    log(`${cls}: ${st.generated} cases over ${st.encodingsCovered.size}/${encs.length} encodings`);
  }

  const batchSize = opts.batchSize ?? 300;
  const byClass = new Map(stats.map((s) => [s.cls, s]));
  const mismatches: FuzzMismatch[] = [];
  const errors: string[] = [];
  const batchOrder = [...cases];
  shuffle(batchOrder, new Rng(opts.seed ^ 0x5bd1e995));
  for (let b = 0; b < batchOrder.length; b += batchSize) {
    const batch = batchOrder.slice(b, b + batchSize);
    const r = runBatch(batch, decoder, `fuzz-${opts.seed.toString(16)}`);
    if (r.error) errors.push(`batch ${b / batchSize}: ${r.error}`);
    for (const c of r.compared) byClass.get(c.cls)!.compared++;
    for (const c of r.bothUndef) byClass.get(c.cls)!.bothUndef++;
    for (const c of r.bothFault) byClass.get(c.cls)!.bothFault++;
    for (const m of r.mismatches) {
      const s = byClass.get(m.cls)!;
      s.mismatches++;
      s.mismatchNames.add(m.name);
      mismatches.push(m);
    }
    log(`batch ${b / batchSize + 1}/${Math.ceil(batchOrder.length / batchSize)}: ${batch.length} cases, ${r.mismatches.length} mismatches${r.error ? ', error: ' + r.error.split('\n')[0] : ''}`);
  }

  // reproducers for every mismatch; standalone confirmation for the first of each encoding
  const dir = opts.outDir ?? join(CACHE_DIR, 'fuzz', opts.seed.toString(16));
  if (mismatches.length) mkdirSync(dir, { recursive: true });
  const byId = new Map(cases.map((c) => [c.id, c]));
  const confirmed = new Set<string>();
  let confirmBudget = opts.confirm ?? 12;
  for (const m of mismatches) {
    const c = byId.get(m.caseId)!;
    m.reproducer = writeReproducer(dir, opts.seed, c, m);
    if (confirmBudget > 0 && !confirmed.has(m.name) && m.kind !== 'setup') {
      confirmed.add(m.name);
      confirmBudget--;
      const again = runBatch([c], decoder, 'fuzz-repro');
      m.confirmed = again.mismatches.some((x) => x.kind === m.kind);
    }
  }
  return { seed: opts.seed, stats, mismatches, errors, seconds: (Date.now() - t0) / 1000 };
}

function writeReproducer(dir: string, seed: number, c: FuzzCase, m: FuzzMismatch): string {
  const file = join(dir, `${c.cls}-${c.name}-${c.id}.S`);
  const head = [
    `// hvlab random differential tester: reproducer (seed 0x${seed.toString(16)}, case ${c.id})`,
    `// class ${c.cls}, encoding ${c.name}, word 0x${(c.word >>> 0).toString(16).padStart(8, '0')}: ${c.text.replace(/\t/g, ' ')}`,
    `// initial state flavor: ${c.state.flavor ?? '?'}`,
    `// mismatch (${m.kind}): ${m.summary}`,
    ...m.details.slice(0, 40).map((d) => `//   ${d}`),
    '// The program has two cases: case 0 installs a vector table (exceptions print !XY and skip the',
    '// instruction), case 1 is this one; UART line 2 is its dump. Build/run with test/tools/harness',
    '// (buildAsm + runQemu/runHvlab), or: npm run fuzz:isa -- --replay ' + file,
    '',
  ];
  writeFileSync(file, head.join('\n') + snippetSource([{ body: VECTOR_CASE_BODY }, { body: c.body, state: c.state }]));
  return file;
}

/** Re-runs a reproducer file on both sides; returns the case's differences (empty = agree). */
export function replay(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const elf = buildAsm(source, 'fuzz-replay');
  const sym = symbols(elf);
  const ranges = [0, 1].map((k) => [sym.get(`body_${k}`)!, sym.get(`body_end_${k}`)!] as const);
  const hv = runHvlabResilient(elf, 1_000_000, (pc) => ranges.some(([a, b]) => pc >= a && pc < b));
  const q = runQemu(elf, {});
  const out: string[] = [];
  if (hv.fatal) out.push(hv.fatal);
  if (q.error) out.push(q.error);
  for (const e of hv.events) out.push(`hvlab stopped at 0x${e.pc.toString(16)}: ${e.what}`);
  const a = splitLine(q.output.split('\n')[1] ?? ''), b = splitLine(hv.output.split('\n')[1] ?? '');
  if (a.tokens.length) out.push(`QEMU took exceptions: ${a.tokens.map((t) => 'EC 0x' + tokenEc(t).toString(16)).join(', ')}`);
  out.push(...diffDumps(a.dump, b.dump));
  return out;
}

function shuffle<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
}
