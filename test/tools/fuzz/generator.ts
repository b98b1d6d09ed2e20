// Random valid instruction words per class, drawn from the decode table, and the snippet cases
// (setup + word + initial state) that run them on QEMU and hvlab.
//
// A word is kept only if the decoder maps it back to the very encoding it was drawn for, the
// encoding's fuzzOk accepts it, and objdump (the reference text) decodes it. The case builders
// then use objdump's text to find operands (memory base/offset/index, branch register, system
// register) and add the setup that makes the word safe and meaningful: memory accesses land in
// the 256-byte scratch buffer, branches jump over a marker, system instructions are limited to an
// allow-list.
import type { Decoder } from '../../../emulator/arch/decoder';
import type { Encoding, InsnClass } from '../../../emulator/arch/encoding';
import type { SnippetState } from '../harness/snippet';
import { SCRATCH_BYTES } from '../harness/snippet';
import { isUndefinedText, objdumpWords } from '../objdump';
import type { Rng } from './prng';
import { randomState, type Flavor } from './state';

export const ALL_CLASSES: readonly InsnClass[] = ['dp-imm', 'dp-reg', 'branch', 'system', 'ldst', 'ldst-excl', 'ldst-atomic', 'ldst-simd', 'simd-move'];

export interface Candidate { enc: Encoding; word: number; text: string }

export interface FuzzCase {
  id: number;
  cls: InsnClass;
  name: string;
  /** The word as executed (branch/literal offsets re-encoded). */
  word: number;
  text: string;
  body: string[];
  state: SnippetState & { flavor?: Flavor };
}

/** Label the builders put right before the fuzzed word. */
export const wordLabel = (id: number): string => `fzw_${id}`;

const hex8 = (w: number): string => (w >>> 0).toString(16).padStart(8, '0');
const inst = (id: number, w: number): string[] => [`${wordLabel(id)}:`, `.inst 0x${hex8(w)}`];

/** Encodings never drawn: they leave the snippet (exception generation, waits, PSCI). */
const NEVER = new Set(['SVC', 'HVC', 'SMC', 'BRK', 'HLT', 'WFET', 'WFIT', 'TSTART', 'TCOMMIT', 'TTEST', 'SYS_op0_0_unallocated', 'SYSL_op0_0_unallocated']);

/** The pattern's variable fields (runs of one letter), as bit masks. */
function fieldMasks(enc: Encoding): number[] {
  const bits = enc.pattern.replace(/ /g, '');
  const out: number[] = [];
  let cur = 0, prev = '';
  for (let i = 0; i < 32; i++) {
    const ch = bits[i], bit = 1 << (31 - i);
    if (ch === '0' || ch === '1') { if (cur) out.push(cur); cur = 0; prev = ''; continue; }
    if (ch !== prev && cur) { out.push(cur); cur = 0; }
    cur |= bit; prev = ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** Variable bits, with each field now and then all-ones (XZR/SP, "should be one") or all-zeros. */
function randomFill(enc: Encoding, fields: number[], rng: Rng): number {
  let w = enc.value;
  for (const f of fields) {
    const r = rng.u32() / 4294967296;
    w |= r < 0.1 ? f : r < 0.16 ? 0 : rng.u32() & f;
  }
  return w >>> 0;
}

const accepts = (decoder: Decoder, enc: Encoding, w: number): boolean => decoder.decode(w) === enc && (!enc.fuzzOk || enc.fuzzOk(w | 0));
const fieldCache = new Map<Encoding, number[]>();
/** Every accepted word of encodings whose random acceptance is too low to draw from (<= 2^21 words). */
const enumerated = new Map<Encoding, Uint32Array>();

/**
 * A random word for one encoding: variable bits random, accepted only if it decodes back to this
 * encoding and fuzzOk agrees. Encodings that accept few words (fuzzOk picks a handful of system
 * registers, "should be one" fields of exclusives) are enumerated once and drawn from the list.
 */
export function drawWord(decoder: Decoder, enc: Encoding, rng: Rng, tries = 64): number | undefined {
  const list = enumerated.get(enc);
  if (list) return list.length ? list[rng.int(list.length)] : undefined;
  let fields = fieldCache.get(enc);
  if (!fields) fieldCache.set(enc, fields = fieldMasks(enc));
  for (let t = 0; t < tries; t++) {
    const w = randomFill(enc, fields, rng);
    if (accepts(decoder, enc, w)) return w;
  }
  const free = (~enc.mask) >>> 0;
  let nbits = 0;
  for (let b = free; b; b &= b - 1) nbits++;
  if (nbits > 21) return undefined;
  // enumerate: walk all subsets of the free bits
  const found: number[] = [];
  let sub = 0;
  do {
    const w = (enc.value | sub) >>> 0;
    if (accepts(decoder, enc, w)) found.push(w);
    sub = ((sub - free) & free) >>> 0;
  } while (sub !== 0);
  const arr = Uint32Array.from(found);
  enumerated.set(enc, arr);
  return arr.length ? arr[rng.int(arr.length)] : undefined;
}

export interface ClassPlan { cls: InsnClass; encodings: Encoding[] }

export function classEncodings(decoder: Decoder, cls: InsnClass): Encoding[] {
  return decoder.encodings.filter((e) => e.cls === cls && !NEVER.has(e.name));
}

/**
 * Draws `n` candidate words for a class, round-robin over its encodings (so that small encodings
 * are not drowned by big ones), with objdump's text; words objdump calls undefined are dropped.
 */
export function drawCandidates(decoder: Decoder, encs: Encoding[], n: number, rng: Rng, dead: Set<string>, start: { i: number }): Candidate[] {
  const live = encs.filter((e) => !dead.has(e.name));
  if (!live.length) return [];
  const out: { enc: Encoding; word: number }[] = [];
  let misses = 0;
  while (out.length < n && misses < live.length * 2) {
    const enc = live[start.i++ % live.length];
    if (dead.has(enc.name)) { misses++; continue; }
    const w = drawWord(decoder, enc, rng);
    if (w === undefined) { dead.add(enc.name); misses++; continue; }
    out.push({ enc, word: w });
  }
  if (!out.length) return [];
  const texts = objdumpWords(out.map((o) => o.word), 0n);
  return out.map((o, i) => ({ ...o, text: texts[i] })).filter((c) => !isUndefinedText(c.text));
}

// ------------------------------------------------------------------ case builders

export type Built = { body: string[]; state: SnippetState & { flavor?: Flavor }; word: number } | { skip: string };

export interface BuildContext {
  decoder: Decoder;
  /** Instructions run at the start of every case body to isolate cases (FPCR/FPSR, monitor). */
  prologue: string[];
  /** Probability of a deliberately misaligned exclusive/atomic/ordered access. */
  misalign?: number;
}

export function buildCase(c: Candidate, rng: Rng, id: number, ctx: BuildContext): Built {
  const cls = c.enc.cls;
  if (cls.startsWith('ldst')) return buildMemory(c, rng, id, ctx);
  if (cls === 'branch') return buildBranch(c, rng, id, ctx);
  if (cls === 'system') return buildSystem(c, rng, id, ctx);
  // dp-imm, dp-reg, simd-move and anything new: the word alone, on a random state.
  return { body: [...ctx.prologue, ...inst(id, c.word)], state: randomState(rng, { scratchBase: false }), word: c.word };
}

function mnemonicOf(text: string): { m: string; ops: string } {
  const tab = text.indexOf('\t');
  return tab < 0 ? { m: text.trim(), ops: '' } : { m: text.slice(0, tab).trim(), ops: text.slice(tab + 1).replace(/\s*\/\/.*$/, '').trim() };
}

// ---- branches: the offset becomes +8, jumping over a marker that counts "not taken" in X0.

function buildBranch(c: Candidate, rng: Rng, id: number, ctx: BuildContext): Built {
  const { m, ops } = mnemonicOf(c.text);
  const state = randomState(rng, { scratchBase: false });
  let w = c.word >>> 0;
  const marker = 'add x0, x0, #1';
  if (m === 'br' || m === 'blr' || m === 'ret') {
    const reg = ops === '' ? 'x30' : ops;
    if (!/^x\d+$/.test(reg)) return { skip: `${m} through ${reg}` };
    return { body: [...ctx.prologue, `adr ${reg}, fzt_${id}`, ...inst(id, w), marker, `fzt_${id}:`], state, word: w };
  }
  if (m === 'b' || m === 'bl') w = ((w & ~0x3ffffff) | 2) >>> 0;
  else if (/^b\.|^bc\.|^cbn?z$/.test(m)) w = ((w & ~(0x7ffff << 5)) | (2 << 5)) >>> 0;
  else if (/^tbn?z$/.test(m)) w = ((w & ~(0x3fff << 5)) | (2 << 5)) >>> 0;
  else return { skip: `branch form ${m}` };
  if (ctx.decoder.decode(w) !== c.enc) return { skip: 're-encoded branch decodes differently' };
  return { body: [...ctx.prologue, ...inst(id, w), marker], state, word: w };
}

// ---- system: an allow-list of what is safe at EL1 in a bare-metal snippet and equal on both.

const SYS_PLAIN = new Set(['nop', 'yield', 'sev', 'sevl', 'esb', 'csdb', 'isb', 'sb', 'ssbb', 'pssbb', 'dgh', 'cfinv', 'xaflag', 'axflag', 'clrex', 'dmb', 'dsb', 'bti', 'hint', 'psb', 'tsb']);
/** System registers a fuzzed MRS/MSR may touch: plain storage or flags, the same on both. */
const SYS_REGS = new Set(['nzcv', 'fpcr', 'fpsr', 'tpidr_el0', 'tpidrro_el0', 'tpidr_el1', 'daif', 'currentel', 'spsel', 'cpacr_el1', 'mpidr_el1', 'dczid_el0']);
const SYS_MSR_IMM = new Set(['daifset', 'daifclr']);

function buildSystem(c: Candidate, rng: Rng, id: number, ctx: BuildContext): Built {
  const { m, ops } = mnemonicOf(c.text);
  const state = randomState(rng, { scratchBase: false });
  const ok = { body: [...ctx.prologue, ...inst(id, c.word)], state, word: c.word };
  if (SYS_PLAIN.has(m)) return ok;
  if (m === 'mrs') {
    const r = ops.split(', ')[1];
    return SYS_REGS.has(r) ? ok : { skip: `mrs ${r}` };
  }
  if (m === 'msr') {
    const r = ops.split(', ')[0];
    if (SYS_MSR_IMM.has(r)) return ok;
    // follow a write with a read-back so registers outside the dump (FPCR, TPIDR*, DAIF) show
    if (SYS_REGS.has(r) && !/^(currentel|spsel|mpidr_el1|dczid_el0|cpacr_el1)$/.test(r)) return r === 'nzcv' || r === 'fpsr' ? ok : { ...ok, body: [...ok.body, `mrs x${rng.int(31)}, ${r}`] };
    return { skip: `msr ${r}` };
  }
  return { skip: `system ${m}` };
}

// ---- loads and stores

interface MemOperand {
  base: number; // 31 = SP
  form: 'none' | 'imm' | 'pre' | 'post-imm' | 'post-reg' | 'reg';
  imm: number;
  index?: { reg: number; w: boolean; ext: string; shift: number };
}

const regNum = (r: string): number => (/zr$/.test(r) || r === 'sp' || r === 'wsp' ? 31 : parseInt(r.slice(1), 10));

/** `[x3, #-8]!`, `[x3], #16`, `[sp, x5, lsl #3]`, `[x1, w2, sxtw #2]`, `[x0], x4` … */
export function parseMemOperand(ops: string): MemOperand | undefined {
  const m = /\[(x\d+|sp)(?:, (#-?\d+|[xw](?:\d+|zr))(?:, (lsl|uxtw|sxtw|sxtx|uxtx)(?: #(\d+))?)?)?\](!?)(?:, (#-?\d+|x\d+|xzr))?$/.exec(ops);
  if (!m) return undefined;
  const base = regNum(m[1]);
  const off = m[2], ext = m[3], amt = m[4] ? parseInt(m[4], 10) : 0, bang = m[5] === '!', post = m[6];
  if (post !== undefined) {
    if (post.startsWith('#')) return { base, form: 'post-imm', imm: parseInt(post.slice(1), 10) };
    return { base, form: 'post-reg', imm: 0, index: { reg: regNum(post), w: false, ext: 'lsl', shift: 0 } };
  }
  if (off === undefined) return { base, form: 'none', imm: 0 };
  if (off.startsWith('#')) return { base, form: bang ? 'pre' : 'imm', imm: parseInt(off.slice(1), 10) };
  return { base, form: 'reg', imm: 0, index: { reg: regNum(off), w: off.startsWith('w'), ext: ext ?? 'lsl', shift: amt } };
}

/** Access properties from the mnemonic and the transfer operands (the part before '['). */
function accessShape(m: string, regs: string[], cls: InsnClass): { elem: number; span: number; strict: boolean; pair: boolean } {
  const vec = regs.some((r) => r.startsWith('{'));
  const fp = regs.find((r) => /^[bhsdq]\d+$/.test(r));
  const gprs = regs.filter((r) => /^[wx](\d+|zr)$/.test(r));
  const pair = /^(ld|st)(n?p|xp|axp|lxp)$|^ldpsw$|^casp/.test(m);
  let elem: number;
  if (fp) elem = { b: 1, h: 2, s: 4, d: 8, q: 16 }[fp[0]] as number;
  else if (/sw$/.test(m)) elem = 4;
  else if (/b$/.test(m)) elem = 1;
  else if (/h$/.test(m)) elem = 2;
  else elem = gprs.length && gprs[gprs.length - 1].startsWith('w') ? 4 : 8;
  const span = vec ? 64 : (pair ? 2 : 1) * elem;
  const strict = cls === 'ldst-excl' || cls === 'ldst-atomic' || /^(ldar|ldapr|ldapur|ldlar|stlr|stllr|stlur|ldax|stlx|ldx|stx)/.test(m);
  return { elem, span, strict, pair };
}

/** Xd|SP := X28 + k for any |k| < 2^24 (one or two ADD/SUB immediates). */
function addFromScratch(dst: string, k: number): string[] {
  const op = k < 0 ? 'sub' : 'add', a = Math.abs(k), hi = a >>> 12, lo = a & 0xfff;
  if (hi === 0) return [`${op} ${dst}, x28, #${lo}`];
  const out = [`${op} ${dst}, x28, #${hi}, lsl #12`];
  if (lo) out.push(`${op} ${dst}, ${dst}, #${lo}`);
  return out;
}

function buildMemory(c: Candidate, rng: Rng, id: number, ctx: BuildContext): Built {
  const { m, ops } = mnemonicOf(c.text);
  const state = randomState(rng, { scratchBase: true });
  const lb = ops.indexOf('[');
  if (lb < 0) {
    // PC-relative literal (LDR/LDRSW/PRFM literal): aim it a little way forward into this
    // program's own code, which is identical on both sides.
    if (!/^(ldr|ldrsw|prfm)$/.test(m)) return { skip: `no memory operand: ${c.text}` };
    const w = ((c.word & ~(0x7ffff << 5)) | (rng.range(1, 128) << 5)) >>> 0;
    if (ctx.decoder.decode(w) !== c.enc) return { skip: 're-encoded literal decodes differently' };
    return { body: [...ctx.prologue, ...inst(id, w)], state, word: w };
  }
  const mem = parseMemOperand(ops.slice(lb));
  if (!mem) return { skip: `memory operand not understood: ${ops}` };
  const regs = splitOperands(ops.slice(0, lb));
  const shape = accessShape(m, regs, c.enc.cls);
  const gprNums = regs.filter((r) => /^[wx](\d+|zr)$/.test(r)).map(regNum);
  const writeback = mem.form === 'pre' || mem.form === 'post-imm' || mem.form === 'post-reg';
  const isStoreExcl = /^stl?x[rp]/.test(m);
  const isLoad = /^ld/.test(m);

  // UNPREDICTABLE register overlaps (Arm ARM: writeback with Rt==Rn, LDP Rt==Rt2, STXR Ws==Rt/Rn).
  if (writeback && mem.base !== 31 && gprNums.includes(mem.base)) return { skip: 'writeback base is a transfer register' };
  if (mem.index && mem.index.reg !== 31 && mem.index.reg === mem.base) return { skip: 'index register is the base' };
  if (isLoad && shape.pair && regs.length >= 2 && regs[0] === regs[1]) return { skip: 'load pair into one register' };
  if (isStoreExcl) {
    const s = gprNums[0];
    if (gprNums.slice(1).includes(s) || (s === mem.base && s !== 31)) return { skip: 'status register overlaps' };
  }

  // Pick the effective address (offset into the scratch buffer) and the index value, then the
  // base value they imply; SP as a base must stay 16-byte aligned (SCTLR_EL1.SA is set).
  const align = shape.strict ? shape.elem * (shape.pair && /x[rp]|^casp/.test(m) ? 2 : 1) : (rng.chance(0.5) ? shape.elem : 1);
  const limit = SCRATCH_BYTES - shape.span;
  let chosen: { v: number; idx: number } | undefined;
  for (let t = 0; t < 200 && !chosen; t++) {
    const ea = Math.floor(rng.int(Math.floor(limit / align) + 1)) * align;
    let idx = 0, v: number;
    if (mem.form === 'reg') {
      const ix = mem.index!;
      if (ix.reg !== 31) idx = (ix.ext === 'uxtw' || ix.ext === 'uxtx') ? rng.int(17) : rng.range(-16, 16);
      v = ea - idx * 2 ** ix.shift;
    } else if (mem.form === 'imm' || mem.form === 'pre') {
      v = ea - mem.imm;
    } else {
      v = ea;
    }
    if (mem.base === 31 && (v & 15) !== 0) continue;
    chosen = { v, idx };
  }
  if (!chosen) return { skip: 'no aligned placement' };
  // Now and then break the alignment rule on purpose: an exclusive/atomic/acquire-release access
  // off its natural alignment must fault on both sides (the same kind of exception). Not done:
  // - store-exclusives: QEMU 7.2 compares its monitor address first and fails a misaligned STXR
  //   without the alignment fault the Arm ARM's ExclusiveMonitorsPass() raises;
  // - SP alignment (SCTLR_EL1.SA = 1 at reset): QEMU 7.2 does not implement the SP check.
  let misaligned = false;
  if (shape.strict && align > 1 && !isStoreExcl && mem.base !== 31 && rng.chance(ctx.misalign ?? 0)) {
    chosen.v += rng.range(1, align - 1);
    misaligned = true;
  }

  const body: string[] = [...ctx.prologue];
  body.push(...addFromScratch(mem.base === 31 ? 'sp' : `x${mem.base}`, chosen.v));
  if (mem.index && mem.index.reg !== 31) {
    if (mem.form === 'post-reg') {
      // the post-index register only moves the base afterwards: any value works, keep it small
      body.push(`mov x${mem.index.reg}, #${rng.range(-64, 64)}`);
    } else {
      body.push(`mov ${mem.index.w ? 'w' : 'x'}${mem.index.reg}, #${chosen.idx}`);
    }
  }
  // A store-exclusive is more interesting with the monitor armed: load-exclusive the same bytes.
  if (isStoreExcl && !misaligned && rng.chance(0.6)) {
    const used = new Set([mem.base, ...gprNums, 28]);
    const free = Array.from({ length: 31 }, (_, i) => i).filter((i) => !used.has(i));
    const t1 = free[rng.int(free.length)], t2 = free.filter((i) => i !== t1)[rng.int(free.length - 1)];
    const width = regs[1]?.startsWith('w') ? 'w' : 'x';
    const base = mem.base === 31 ? 'sp' : `x${mem.base}`;
    const sfx = /b$/.test(m) ? 'b' : /h$/.test(m) ? 'h' : '';
    if (shape.pair) body.push(`ldxp ${width}${t1}, ${width}${t2}, [${base}]`);
    else body.push(`ldxr${sfx} ${sfx ? 'w' : width}${t1}, [${base}]`);
  }
  body.push(...inst(id, c.word));
  return { body, state, word: c.word };
}

/** Splits `x1, x2, ` / `{v0.16b, v1.16b}, ` into operands, keeping braces together. */
function splitOperands(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ',' && depth === 0) { if (cur.trim()) out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
