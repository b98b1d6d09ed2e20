// Case generators for the load/store differential tests against QEMU (test/arch/ldst*.test.ts).
// X28 = scratch buffer (16-byte aligned, 256 bytes) on entry. All accesses are naturally aligned
// (QEMU with the MMU off would be entitled to fault unaligned ones on Device memory).
import type { SnippetState } from '../tools/harness/snippet';

export interface Case { body: string[]; state?: SnippetState }

/** Deterministic xorshift32. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** Scratch bytes with edge values sprinkled in (0x00, 0x7f, 0x80, 0xff) over a random pattern. */
export function edgeScratch(rand: () => number): Uint8Array {
  const s = new Uint8Array(256);
  const edges = [0x00, 0x7f, 0x80, 0xff];
  for (let i = 0; i < 256; i++) s[i] = (rand() & 3) === 0 ? edges[rand() & 3] : rand() & 0xff;
  return s;
}

const GP_LOADS: [string, string, number][] = [
  // mnemonic, register prefix, access size
  ['ldrb', 'w', 1], ['ldrsb', 'w', 1], ['ldrsb', 'x', 1], ['ldrh', 'w', 2], ['ldrsh', 'w', 2], ['ldrsh', 'x', 2],
  ['ldr', 'w', 4], ['ldrsw', 'x', 4], ['ldr', 'x', 8],
];
const GP_STORES: [string, string, number][] = [['strb', 'w', 1], ['strh', 'w', 2], ['str', 'w', 4], ['str', 'x', 8]];
const u = (m: string, c: string): string => m.slice(0, 2) + c + m.slice(2);

/** Initial X0..X30 from `f`, leaving X28 unset so the harness points it at the scratch buffer. */
export function regs(f: (i: number) => bigint): bigint[] {
  const x = new Array<bigint>(31).fill(0n).map((_, i) => f(i));
  delete x[28];
  return x;
}

/** General-register single loads/stores in every addressing form. */
export function gpSingleCases(rand: () => number): Case[] {
  const cases: Case[] = [];
  for (const [m, p, sz] of [...GP_LOADS, ...GP_STORES]) {
    const sh = Math.log2(sz);
    const st = { scratch: edgeScratch(rand) };
    // unsigned offset, including the largest offset that stays inside the buffer, and Rt = ZR
    cases.push({ state: st, body: [`${m} ${p}0, [x28]`, `${m} ${p}1, [x28, #${sz}]`, `${m} ${p}2, [x28, #${256 - sz}]`, `${m} ${p}3, [x28, #${8 * sz}]`, `${m} ${p}zr, [x28, #${16 * sz}]`] });
    // unscaled, with a base in the middle of the buffer and negative offsets
    cases.push({ state: st, body: ['add x9, x28, #128', `${u(m, 'u')} ${p}0, [x9, #-128]`, `${u(m, 'u')} ${p}1, [x9, #${-sz}]`, `${u(m, 'u')} ${p}2, [x9, #${Math.min(120, 16 * sz)}]`, `${u(m, 'u')} ${p}3, [x9]`] });
    // unprivileged
    cases.push({ state: st, body: ['add x9, x28, #64', `${u(m, 't')} ${p}0, [x9, #-64]`, `${u(m, 't')} ${p}1, [x9, #${8 * sz}]`, `${u(m, 't')} ${p}2, [x9]`] });
    // pre/post-index (writeback of X9 and of SP)
    cases.push({ state: st, body: ['add x9, x28, #128', `${m} ${p}0, [x9, #${-sz}]!`, `${m} ${p}1, [x9, #-64]!`, `${m} ${p}2, [x9], #${2 * sz}`, `${m} ${p}3, [x9], #-16`, `${m} ${p}4, [x9, #0]!`, `${m} ${p}5, [x9], #0`] });
    cases.push({ state: st, body: ['add x9, x28, #96', 'mov sp, x9', `${m} ${p}0, [sp, #${sz}]!`, `${m} ${p}1, [sp], #-32`, `${m} ${p}2, [sp, #${4 * sz}]`, `${u(m, 'u')} ${p}3, [sp, #-8]`] });
    // register offset: every extend, with and without the scale
    const x = regs((i) => BigInt(i) * 0x1111111111111111n);
    x[1] = 3n;                              // small positive
    x[2] = 0x77777777fffffffdn;             // w2 = -3 (sxtw), high half ignored by uxtw/sxtw
    x[3] = 0xfffffffffffffffen;             // -2 (sxtx / lsl)
    x[4] = 0xabcdef0000000005n;             // uxtw 5
    x[5] = 0n;
    cases.push({
      state: { ...st, x },
      body: ['add x9, x28, #128',
        `${m} ${p}10, [x9, x1]`, `${m} ${p}11, [x9, x1, lsl #${sh}]`, `${m} ${p}12, [x9, x3]`, `${m} ${p}13, [x9, x3, lsl #${sh}]`,
        `${m} ${p}14, [x9, w2, sxtw]`, `${m} ${p}15, [x9, w2, sxtw #${sh}]`, `${m} ${p}16, [x9, w4, uxtw]`, `${m} ${p}17, [x9, w4, uxtw #${sh}]`,
        `${m} ${p}18, [x9, x3, sxtx]`, `${m} ${p}19, [x9, x3, sxtx #${sh}]`, `${m} ${p}20, [x9, xzr]`, `${m} ${p}21, [x28, x5, lsl #${sh}]`],
    });
  }
  // literal loads and prefetches (no memory effect)
  cases.push({ body: ['ldr x0, 1f', 'ldr w1, 1f', 'ldrsw x2, 1f', 'ldr w3, 2f', 'ldrsw x4, 2f', 'prfm pldl1keep, 1f', 'ldr x5, 2f', 'b 3f', '.balign 8', '1: .quad 0x8000000000000001', '2: .quad 0x7fffffff80000000', '3:'] });
  cases.push({ body: ['b 3f', '.balign 16', '1: .quad 0x0123456789abcdef, 0xfedcba9876543210', '2: .quad 0xffffffffffffffff, 0x8000000000000000', '3: ldr s0, 1b', 'ldr d1, 1b', 'ldr q2, 1b', 'ldr q3, 2b', 'ldr d4, 2b', 'ldr s5, 2b'] });
  cases.push({ body: ['prfm pldl1keep, [x28]', 'prfm pstl3strm, [x28, #8]', 'prfum plil2keep, [x28, #-1]', 'prfm #0x1f, [x28, x1, lsl #3]', 'prfm pldl2strm, [x28, w1, sxtw]', 'prfm #0x18, [x0]'] });
  return cases;
}

/** LDP/STP/LDPSW/LDNP/STNP, general and FP/SIMD, all indexing forms. */
export function pairCases(rand: () => number): Case[] {
  const cases: Case[] = [];
  const forms: [string, string, number][] = [['ldp', 'w', 4], ['ldp', 'x', 8], ['ldpsw', 'x', 4], ['stp', 'w', 4], ['stp', 'x', 8],
    ['ldp', 's', 4], ['ldp', 'd', 8], ['ldp', 'q', 16], ['stp', 's', 4], ['stp', 'd', 8], ['stp', 'q', 16]];
  for (const [m, p, sz] of forms) {
    const st = { scratch: edgeScratch(rand) };
    cases.push({ state: st, body: ['add x9, x28, #128', `${m} ${p}0, ${p}1, [x9]`, `${m} ${p}2, ${p}3, [x9, #${-4 * sz}]`, `${m} ${p}4, ${p}5, [x9, #${2 * sz}]`, `${m} ${p}6, ${p}7, [x28, #${256 - 2 * sz}]`] });
    cases.push({ state: st, body: ['add x9, x28, #128', `${m} ${p}0, ${p}1, [x9, #${-2 * sz}]!`, `${m} ${p}2, ${p}3, [x9], #${4 * sz}`, `${m} ${p}4, ${p}5, [x9, #-64]!`, `${m} ${p}6, ${p}7, [x9], #-16`] });
    cases.push({ state: st, body: ['add x9, x28, #64', 'mov sp, x9', `${m} ${p}10, ${p}11, [sp, #${2 * sz}]!`, `${m} ${p}12, ${p}13, [sp], #-32`, `${m} ${p}14, ${p}15, [sp]`] });
    if (m !== 'ldpsw') {
      const nm = m === 'ldp' ? 'ldnp' : 'stnp';
      cases.push({ state: st, body: ['add x9, x28, #128', `${nm} ${p}0, ${p}1, [x9]`, `${nm} ${p}2, ${p}3, [x9, #${-4 * sz}]`, `${nm} ${p}4, ${p}5, [x9, #${2 * sz}]`] });
    }
    if (p === 'w' || p === 'x') cases.push({ state: st, body: [`${m} ${p}zr, ${p}1, [x28, #16]`, `${m} ${p}2, ${p}zr, [x28, #32]`] });
  }
  return cases;
}

/** FP/SIMD single-register loads/stores: every size, every addressing form. */
export function fpSingleCases(rand: () => number): Case[] {
  const cases: Case[] = [];
  for (const [p, sz] of [['b', 1], ['h', 2], ['s', 4], ['d', 8], ['q', 16]] as [string, number][]) {
    const sh = Math.log2(sz);
    for (const m of ['ldr', 'str']) {
      const st = { scratch: edgeScratch(rand), x: regs((i) => BigInt(i)) };
      st.x[2] = 0xfffffffffffffffen; st.x[3] = 0x12345678fffffffen;
      cases.push({ state: st, body: ['add x9, x28, #128', `${m} ${p}0, [x28]`, `${m} ${p}1, [x28, #${256 - sz}]`, `${m} ${p}2, [x9, #${-4 * sz}]!`, `${m} ${p}3, [x9], #${2 * sz}`,
        `${u(m, 'u')} ${p}4, [x9, #-32]`, `${m} ${p}5, [x9, x1, lsl #${sh}]`, `${m} ${p}6, [x9, x2]`, `${m} ${p}7, [x9, w3, sxtw #${sh}]`, `${m} ${p}8, [x9, w1, uxtw]`, `${m} ${p}9, [x9, x2, sxtx #${sh}]`, `${m} ${p}31, [x9, #${sz}]`] });
    }
  }
  return cases;
}

/** LD1-LD4/ST1-ST4 (multiple and single structures), LD1R-LD4R, with post-index forms. */
export function structCases(rand: () => number): Case[] {
  const cases: Case[] = [];
  const arrs = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];
  const list = (t: number, n: number, a: string): string => '{' + Array.from({ length: n }, (_, k) => `v${(t + k) & 31}.${a}`).join(', ') + '}';
  for (const a of arrs) {
    const regBytes = a === '8b' || a === '4h' || a === '2s' || a === '1d' ? 8 : 16;
    for (let n = 1; n <= 4; n++) {
      const st = { scratch: edgeScratch(rand), x: regs((i) => BigInt(i * 8)) };
      const tot = regBytes * n;
      cases.push({ state: st, body: ['mov x9, x28', `ld1 ${list(0, n, a)}, [x9]`, `ld1 ${list(30, n, a)}, [x9], #${tot}`, `ld1 ${list(8, n, a)}, [x9], x2`, `st1 ${list(12, n, a)}, [x9]`, `st1 ${list(20, n, a)}, [x9], x4`] });
      if (n > 1 && a !== '1d') {
        cases.push({ state: st, body: ['mov x9, x28', `ld${n} ${list(0, n, a)}, [x9]`, `ld${n} ${list(30, n, a)}, [x9], #${tot}`, `ld${n} ${list(8, n, a)}, [x9], x2`, `st${n} ${list(12, n, a)}, [x9]`, `st${n} ${list(20, n, a)}, [x9], #${tot}`, `st${n} ${list(16, n, a)}, [x9], x1`] });
      }
      // replicate
      cases.push({ state: st, body: ['mov x9, x28', `ld${n}r ${list(0, n, a)}, [x9]`, `ld${n}r ${list(31, n, a)}, [x9], #${n * (a === '1d' || a === '2d' ? 8 : a.endsWith('s') ? 4 : a.endsWith('h') ? 2 : 1)}`, `ld${n}r ${list(10, n, a)}, [x9], x3`] });
    }
  }
  // single lane
  for (const [e, lanes] of [['b', 16], ['h', 8], ['s', 4], ['d', 2]] as [string, number][]) {
    for (let n = 1; n <= 4; n++) {
      const st = { scratch: edgeScratch(rand), x: regs((i) => BigInt(i * 4)) };
      const lane = (rand() % lanes), lane2 = lanes - 1;
      const esz = e === 'b' ? 1 : e === 'h' ? 2 : e === 's' ? 4 : 8;
      cases.push({ state: st, body: ['mov x9, x28', `ld${n} ${list(0, n, e)}[${lane}], [x9]`, `ld${n} ${list(30, n, e)}[${lane2}], [x9], #${n * esz}`, `ld${n} ${list(8, n, e)}[0], [x9], x2`,
        `st${n} ${list(12, n, e)}[${lane}], [x9]`, `st${n} ${list(20, n, e)}[${lane2}], [x9], #${n * esz}`, `st${n} ${list(16, n, e)}[1], [x9], x5`] });
    }
  }
  return cases;
}

/**
 * Exclusives and ordered accesses. Every case leaves the local monitor clear at its end (a failing
 * STXR to an unmarked address), because QEMU's monitor survives from one case to the next.
 */
export function exclusiveCases(rand: () => number): Case[] {
  const cases: Case[] = [];
  const clear = 'add x26, x28, #248\n  stxr w27, xzr, [x26]';
  const sizes: [string, string, number][] = [['b', 'w', 1], ['h', 'w', 2], ['', 'w', 4], ['', 'x', 8]];
  for (const [sfx, p] of sizes) {
    const st = { scratch: edgeScratch(rand) };
    for (const [l, s] of [['ldxr', 'stxr'], ['ldaxr', 'stlxr'], ['ldxr', 'stlxr'], ['ldaxr', 'stxr']]) {
      // success: load-exclusive then store-exclusive to the same address
      cases.push({ state: st, body: [`${l}${sfx} ${p}0, [x28, #0]`.replace(', #0', ''), `${s}${sfx} w1, ${p}2, [x28]`, `${l}${sfx} ${p}3, [x28]`, clear] });
      // failure: no load-exclusive; a second store after a success; a different address
      cases.push({ state: st, body: [`${s}${sfx} w1, ${p}2, [x28]`, 'add x9, x28, #64', `${l}${sfx} ${p}3, [x9]`, `${s}${sfx} w4, ${p}5, [x9]`, `${s}${sfx} w6, ${p}7, [x9]`, clear] });
      cases.push({ state: st, body: ['add x9, x28, #32', `${l}${sfx} ${p}3, [x9]`, `${s}${sfx} w4, ${p}5, [x28]`, `${s}${sfx} w6, ${p}7, [x9]`, clear] });
      // the latest load-exclusive wins; SP as the base; status register ZR
      cases.push({ state: st, body: ['add x9, x28, #16', 'mov sp, x28', `${l}${sfx} ${p}3, [x9]`, `${l}${sfx} ${p}4, [sp]`, `${s}${sfx} w5, ${p}6, [x9]`, `${l}${sfx} ${p}7, [sp]`, `${s}${sfx} wzr, ${p}8, [sp]`, `${l}${sfx} ${p}9, [sp]`, clear] });
    }
    cases.push({ state: st, body: ['add x9, x28, #40', `ldar${sfx} ${p}0, [x28]`, `ldar${sfx} ${p}1, [x9]`, `stlr${sfx} ${p}2, [x28]`, `stlr${sfx} ${p}zr, [x9]`, 'mov sp, x9', `ldar${sfx} ${p}3, [sp]`, `stlr${sfx} ${p}4, [sp]`] });
  }
  for (const p of ['w', 'x']) {
    const st = { scratch: edgeScratch(rand) };
    for (const [l, s] of [['ldxp', 'stxp'], ['ldaxp', 'stlxp']]) {
      cases.push({ state: st, body: [`${l} ${p}0, ${p}1, [x28]`, `${s} w2, ${p}3, ${p}4, [x28]`, `${l} ${p}5, ${p}6, [x28]`, clear] });
      cases.push({ state: st, body: [`${s} w2, ${p}3, ${p}4, [x28]`, 'add x9, x28, #64', `${l} ${p}5, ${p}6, [x9]`, `${s} w7, ${p}8, ${p}9, [x28]`, `${s} w10, ${p}11, ${p}12, [x9]`, clear] });
      cases.push({ state: st, body: ['add x9, x28, #32', `${l} ${p}5, ${p}6, [x9]`, `${s} w7, ${p}zr, ${p}8, [x9]`, `${s} w10, ${p}11, ${p}12, [x9]`, clear] });
    }
  }
  return cases;
}

const EDGE64 = [0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 0x80n, 0x7fn, 0xffn, 0x8000n, 0x7fffn, 0xffffn,
  0x80000000n, 0x7fffffffn, 0xffffffffn, 0x100000000n, 0x00000000ffffff80n, 0xffffffff00000000n, 0x0123456789abcdefn, 0xfedcba9876543210n];

function scratchOf(vals: bigint[]): Uint8Array {
  const s = new Uint8Array(256);
  vals.forEach((v, k) => { for (let b = 0; b < 8; b++) s[k * 16 + b] = Number((v >> BigInt(8 * b)) & 0xffn); });
  return s;
}

/** LSE atomics: every op, size and ordering, with edge values in memory and in Rs. */
export function atomicCases(rand: () => number): Case[] {
  const cases: Case[] = [];
  const ops = ['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin', 'swp'];
  const sizes: [string, string][] = [['b', 'w'], ['h', 'w'], ['', 'w'], ['', 'x']];
  const pick = (): bigint => (rand() & 1 ? EDGE64[rand() % EDGE64.length] : (BigInt(rand()) << 32n) | BigInt(rand()));
  for (const op of ops) {
    for (const [sfx, p] of sizes) {
      for (const ord of ['', 'a', 'l', 'al']) {
        const m = (op === 'swp' ? 'swp' : 'ld' + op) + ord + sfx;
        // 12 executions per case: memory slot k (16 bytes apart), Rs = x(k), Rt = x(k+12)
        const mem: bigint[] = [], x = regs((i) => BigInt(i) * 0x0101010101010101n);
        for (let k = 0; k < 12; k++) { mem.push(pick()); x[k] = pick(); }
        // force the interesting pairs: equal values, opposite signs, max vs min
        mem[0] = 0x8000000000000000n; x[0] = 0x7fffffffffffffffn;
        mem[1] = 0x80n; x[1] = 0x7fn;
        mem[2] = 0x8000n; x[2] = 0x7fffn;
        mem[3] = 0x80000000n; x[3] = 0x7fffffffn;
        mem[4] = 0xffffffffffffffffn; x[4] = 1n;
        mem[5] = x[5];
        const body: string[] = [];
        for (let k = 0; k < 12; k++) body.push(`add x27, x28, #${k * 16}`, `${m} ${p}${k}, ${p}${k + 12}, [x27]`);
        // Rt = ZR (the ST<op> alias when there is no acquire), Rt = Rs, SP base
        body.push('add x27, x28, #192', `${m} ${p}24, ${p}zr, [x27]`, `${m} ${p}25, ${p}25, [x27]`, 'mov sp, x27', `${m} ${p}26, ${p}26, [sp]`);
        x[24] = pick(); x[25] = pick(); x[26] = pick();
        cases.push({ state: { x, scratch: scratchOf(mem) }, body });
      }
    }
  }
  // compare and swap: equal and unequal, every size and ordering
  for (const [sfx, p] of sizes) {
    for (const ord of ['', 'a', 'l', 'al']) {
      const m = 'cas' + ord + sfx;
      const mem: bigint[] = [], x = regs((i) => BigInt(i) * 0x0303030303030303n);
      for (let k = 0; k < 12; k++) { mem.push(pick()); x[k] = k % 2 ? mem[k] : pick(); x[k + 12] = pick(); }
      // high bits above the access size differ but the compared bits are equal
      x[2] = mem[2] ^ 0xffffffff00000000n; x[4] = mem[4] ^ 0xffffffffffffff00n;
      const body: string[] = [];
      for (let k = 0; k < 12; k++) body.push(`add x27, x28, #${k * 16}`, `${m} ${p}${k}, ${p}${k + 12}, [x27]`);
      body.push('add x27, x28, #192', `${m} ${p}zr, ${p}24, [x27]`, `${m} ${p}25, ${p}zr, [x27]`, `${m} ${p}26, ${p}26, [x27]`);
      cases.push({ state: { x, scratch: scratchOf(mem) }, body });
    }
  }
  for (const p of ['w', 'x']) {
    for (const ord of ['', 'a', 'l', 'al']) {
      const m = 'casp' + ord;
      const sz = p === 'x' ? 8 : 4;
      const s = new Uint8Array(256);
      for (let i = 0; i < 256; i++) s[i] = rand() & 0xff;
      const x = regs(() => pick());
      const rd = (off: number): bigint => { let v = 0n; for (let b = sz - 1; b >= 0; b--) v = (v << 8n) | BigInt(s[off + b]); return v; };
      // slot 0: both equal (swap); slot 32: first equal only; slot 64: second equal only; slot 96: neither
      x[0] = rd(0); x[1] = rd(sz); x[4] = rd(32); x[9] = rd(64 + sz);
      if (p === 'w') { x[0] |= 0xabcd000000000000n; } // high bits of W registers are ignored
      const body = ['mov x26, x28', `${m} ${p}0, ${p}1, ${p}2, ${p}3, [x26]`, 'add x26, x28, #32', `${m} ${p}4, ${p}5, ${p}6, ${p}7, [x26]`,
        'add x26, x28, #64', `${m} ${p}8, ${p}9, ${p}10, ${p}11, [x26]`, 'add x26, x28, #96', `${m} ${p}12, ${p}13, ${p}14, ${p}15, [x26]`,
        'add x26, x28, #128', `${m} ${p}16, ${p}17, ${p}16, ${p}17, [x26]`, `${m} ${p}18, ${p}19, ${p}30, ${p}31, [x26]`.replace(`${p}31`, p === 'x' ? 'xzr' : 'wzr')];
      cases.push({ state: { x, scratch: s }, body });
    }
  }
  return cases;
}

/**
 * CONSTRAINED UNPREDICTABLE register overlaps (excluded from fuzzing), where hvlab deliberately
 * makes QEMU's choice: loads write back the base after the load, stores store the original value,
 * GPR LDP with Rt == Rt2 keeps the first value, FP LDP and LDXP keep the second.
 */
export function unpredictableCases(rand: () => number): Case[] {
  const w = (v: number): string => `.inst 0x${(v >>> 0).toString(16)}`;
  const st = { scratch: edgeScratch(rand) };
  const clear = ['add x26, x28, #248', 'stxr w27, xzr, [x26]'];
  return [
    { state: st, body: [w(0xa9400380), w(0x69400000 | (2 << 15) | (1 << 10) | (28 << 5) | 1), w(0x29400000 | (3 << 15) | (2 << 10) | (28 << 5) | 2), w(0x6d400000 | (28 << 5))] },
    { state: st, body: ['add x9, x28, #16', w(0xf8400400 | (8 << 12) | (9 << 5) | 9), 'add x10, x28, #32', w(0xf8400c00 | (8 << 12) | (10 << 5) | 10)] },
    { state: st, body: ['add x9, x28, #16', w(0xf8000c00 | (8 << 12) | (9 << 5) | 9), 'add x10, x28, #64', w(0xb8000400 | (4 << 12) | (10 << 5) | 10)] },
    { state: st, body: ['add x9, x28, #16', w(0xa8c00000 | (2 << 15) | (10 << 10) | (9 << 5) | 9), 'add x11, x28, #64', w(0xa9800000 | (2 << 15) | (12 << 10) | (11 << 5) | 11), 'add x12, x28, #96', w(0xa9800000 | (2 << 15) | (13 << 10) | (12 << 5) | 12)] },
    { state: st, body: [w(0xc87f0380), ...clear] },
    { state: st, body: ['ldxr x0, [x28]', w(0xc8007c00 | (9 << 16) | (28 << 5) | 9), ...clear] },
    { state: st, body: ['add x9, x28, #8', 'ldxr x0, [x9]', w(0xc8007c00 | (9 << 16) | (9 << 5) | 1), ...clear] },
  ];
}
