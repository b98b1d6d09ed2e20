// Disassembler conformance over real binaries: every instruction word in the executable sections
// of ELF files, as GNU objdump prints it, against hvlab's `disassemble`. The report says how many
// words the decode table knows, how many of those disassemble identically (the match rate), which
// mnemonics objdump decodes that the table does not know yet (coverage still to do), and the
// mismatches grouped by decode-table encoding name with examples (who has to fix what).
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { a64Decoder } from '../../emulator/arch/decoder';
import { disassemble } from '../../emulator/arch/disassemble';
import { OBJDUMP, isUndefinedText, normalise, parseObjdump, type ObjdumpLine } from './objdump';

export interface MismatchExample {
  addr: bigint; word: number; objdump: string; hvlab: string;
  /** Set while this example repeats the form of an earlier one (a later new form replaces it). */
  reserveFill?: boolean;
}
export interface MismatchGroup {
  /** Decode-table encoding name. */
  name: string;
  /** Mismatching instruction words (occurrences in the files). */
  count: number;
  /** Distinct mismatching words. */
  distinct: number;
  /** Up to `maxExamples` examples, each a different word. */
  examples: MismatchExample[];
}
export interface UnknownGroup {
  /** objdump's mnemonic (first token of its text). */
  mnemonic: string;
  count: number;
  /** One occurrence, to see which form it is. */
  example: { word: number; objdump: string };
}
export interface FileStats { file: string; total: number; known: number; identical: number; data: number }

export interface DisasmReport {
  files: FileStats[];
  /** Instruction words compared (objdump's data directives such as `.word` are skipped). */
  total: number;
  /** Words in `$d` data regions that objdump prints as `.word`/`.short`/`.byte` (not compared). */
  data: number;
  /** Words the hvlab decoder has an encoding for. */
  known: number;
  /** Known words whose hvlab text equals objdump's (after `normalise`). */
  identical: number;
  /** Words objdump decodes as an instruction and hvlab's decoder has no encoding for. */
  unknown: number;
  /** Words neither decodes (objdump prints `.inst … ; undefined`). */
  bothUndefined: number;
  unknownByMnemonic: Map<string, UnknownGroup>;
  mismatchesByEncoding: Map<string, MismatchGroup>;
}

const DATA_DIRECTIVE = /^\.(word|short|hword|byte|dword|quad|long|2byte|4byte|8byte)\b/;

/** objdump `-d` of an ELF's executable sections, one entry per 32-bit word it prints. */
export function objdumpElf(file: string): ObjdumpLine[] {
  const out = execFileSync(OBJDUMP, ['-d', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return parseObjdump(out);
}

export function emptyReport(): DisasmReport {
  return {
    files: [], total: 0, data: 0, known: 0, identical: 0, unknown: 0, bothUndefined: 0,
    unknownByMnemonic: new Map(), mismatchesByEncoding: new Map(),
  };
}

/**
 * The form of an instruction text with its numbers blanked (`ldr x#, [x#], ##`): examples of one
 * group are chosen to show different forms first, so each example tends to show another problem.
 */
function shape(text: string): string {
  return normalise(text).replace(/0x[0-9a-f]+|\d+/g, '#');
}

// Per group: the forms (objdump | hvlab) its mismatches have shown so far.
const exampleState = new WeakMap<MismatchGroup, Set<string>>();

function addExample(g: MismatchGroup, e: MismatchExample, max: number): void {
  let shapes = exampleState.get(g);
  if (!shapes) exampleState.set(g, shapes = new Set());
  const sh = shape(e.objdump) + '|' + shape(e.hvlab);
  if (!shapes.has(sh)) {
    shapes.add(sh);
    if (g.examples.length < max) { g.examples.push(e); return; }
    // Slots full: a new form replaces an example that repeats a form already shown.
    const i = g.examples.findIndex((x) => x.reserveFill);
    if (i >= 0) g.examples[i] = e;
    return;
  }
  if (g.examples.length < max) g.examples.push({ ...e, reserveFill: true });
}

// Words repeat a lot in real code (busybox: ~357k instructions, far fewer distinct words), so a
// word's text is computed once, unless it depends on the address (branches, ADR/ADRP, literals):
// a word is probed at its address and 64 KiB further on, and only equal texts are cached.
interface CachedText { text: string; objdump?: string; same?: boolean }
const PC_DEPENDENT: CachedText = { text: '' };
const textCache = new Map<number, CachedText>();

// Keys are int32 (`word | 0`): small integers for V8, where unsigned words above 2^31 are not.
function cachedDisassemble(word: number, addr: bigint): string {
  const c = textCache.get(word | 0);
  if (c === PC_DEPENDENT) return disassemble(word, addr);
  if (c) return c.text;
  const text = disassemble(word, addr);
  textCache.set(word | 0, text === disassemble(word, addr + 0x10000n) ? { text } : PC_DEPENDENT);
  return text;
}

/** normalise(ours) === normalise(objdump), remembered per address-independent word. */
function sameText(word: number, ours: string, objdump: string): boolean {
  const c = textCache.get(word | 0);
  if (c && c !== PC_DEPENDENT && c.objdump === objdump) return c.same as boolean;
  const same = ours === objdump || normalise(ours) === normalise(objdump);
  if (c && c !== PC_DEPENDENT) { c.objdump = objdump; c.same = same; }
  return same;
}

// Words already counted as mismatching, per report (for distinct counts and distinct examples).
const mismatchedWords = new WeakMap<DisasmReport, Set<number>>();

/** Compares objdump's lines with hvlab's disassembly, adding the results to `report`. */
export function compareLines(lines: readonly ObjdumpLine[], report: DisasmReport, file = '<words>', maxExamples = 3): FileStats {
  const dec = a64Decoder();
  const stats: FileStats = { file, total: 0, known: 0, identical: 0, data: 0 };
  let seenBad = mismatchedWords.get(report);
  if (!seenBad) mismatchedWords.set(report, seenBad = new Set());
  for (const l of lines) {
    if (DATA_DIRECTIVE.test(l.text)) { stats.data++; continue; }
    stats.total++;
    const enc = dec.decode(l.word | 0);
    if (!enc) {
      if (isUndefinedText(l.text) && l.text.startsWith('.inst')) { report.bothUndefined++; continue; }
      report.unknown++;
      const mnemonic = l.text.split(/[\t ]/, 1)[0];
      const g = report.unknownByMnemonic.get(mnemonic);
      if (g) g.count++;
      else report.unknownByMnemonic.set(mnemonic, { mnemonic, count: 1, example: { word: l.word, objdump: l.text } });
      continue;
    }
    stats.known++;
    const ours = cachedDisassemble(l.word, l.addr);
    if (sameText(l.word, ours, l.text)) { stats.identical++; continue; }
    let g = report.mismatchesByEncoding.get(enc.name);
    if (!g) report.mismatchesByEncoding.set(enc.name, g = { name: enc.name, count: 0, distinct: 0, examples: [] });
    g.count++;
    if (!seenBad.has(l.word)) {
      seenBad.add(l.word);
      g.distinct++;
      addExample(g, { addr: l.addr, word: l.word, objdump: l.text, hvlab: ours }, maxExamples);
    }
  }
  report.files.push(stats);
  report.total += stats.total;
  report.known += stats.known;
  report.identical += stats.identical;
  report.data += stats.data;
  return stats;
}

/** Runs objdump on each ELF file and compares every instruction word with hvlab. */
export function disasmReport(files: readonly string[], maxExamples = 3): DisasmReport {
  const report = emptyReport();
  for (const f of files) compareLines(objdumpElf(f), report, f, maxExamples);
  return report;
}

export function pct(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${(Math.floor((n / d) * 10000) / 100).toFixed(2)}%`;
}

const hex8 = (w: number): string => (w >>> 0).toString(16).padStart(8, '0');
const show = (s: string): string => s.replace(/\t/g, ' ');

/** Per-file summary table (file, words, known, identical, match rate, coverage). */
export function formatSummary(r: DisasmReport): string {
  const rows = [['file', 'words', 'known', 'identical', 'match', 'coverage']];
  const all: FileStats = { file: 'TOTAL', total: r.total, known: r.known, identical: r.identical, data: r.data };
  for (const s of r.files.length > 1 ? [...r.files, all] : r.files) {
    rows.push([basename(s.file), String(s.total), String(s.known), String(s.identical), pct(s.identical, s.known), pct(s.known, s.total)]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ')).join('\n');
}

/** The full report as text: summary, unknown mnemonics (top N), mismatches per encoding (top N). */
export function formatReport(r: DisasmReport, top = 30): string {
  const out: string[] = [];
  out.push(formatSummary(r));
  out.push('');
  out.push(`instruction words: ${r.total} (+${r.data} data words skipped)`);
  out.push(`known to hvlab's decoder: ${r.known} (${pct(r.known, r.total)} coverage)`);
  out.push(`identical to objdump: ${r.identical} of ${r.known} known (match rate ${pct(r.identical, r.known)})`);
  out.push(`objdump decodes, hvlab has no encoding: ${r.unknown}; neither decodes: ${r.bothUndefined}`);

  const unknown = [...r.unknownByMnemonic.values()].sort((a, b) => b.count - a.count);
  out.push('');
  out.push(`unknown to hvlab, by objdump mnemonic (${unknown.length} mnemonics, top ${Math.min(top, unknown.length)}):`);
  for (const g of unknown.slice(0, top)) {
    out.push(`  ${String(g.count).padStart(7)}  ${g.mnemonic.padEnd(10)} e.g. ${hex8(g.example.word)}  ${show(g.example.objdump)}`);
  }

  const bad = [...r.mismatchesByEncoding.values()].sort((a, b) => b.count - a.count);
  out.push('');
  out.push(`mismatches, by hvlab encoding (${bad.length} encodings, top ${Math.min(top, bad.length)}):`);
  for (const g of bad.slice(0, top)) {
    out.push(`  ${g.name}: ${g.count} words (${g.distinct} distinct)`);
    for (const e of g.examples) {
      out.push(`      ${hex8(e.word)} @0x${e.addr.toString(16)}`);
      out.push(`        objdump: ${show(e.objdump)}`);
      out.push(`        hvlab:   ${show(e.hvlab)}`);
    }
  }
  return out.join('\n');
}
