// Register-representation microbenchmark: the design choice behind hvlab's CPU state (see
// ARCHITECTURE.md, "Performance facts"). One synthetic program — a switch-dispatched mix of
// 64-bit ADD/SUB/EOR, immediate and variable shifts, loads and stores, as an interpreter's hot
// loop sees them — runs over two register files:
//   halves: X registers as two Int32Array halves (lo, hi), 32-bit number arithmetic (hvlab's choice)
//   bigint: X registers in a BigUint64Array, BigInt arithmetic
// Both must end in the same state (checked), then each is timed.
//
//   node out/bench/regrep.js [--json] [--seconds S]

const NREGS = 32;
const MEM_WORDS = 1 << 12;          // 4096 64-bit words = 32 KiB
const MEM_MASK = MEM_WORDS - 1;
const PROGRAM_LEN = 4096;

const enum Op { ADD, SUB, EOR, ADDI, LSLI, LSRI, LSRV, LDR, STR }
const OPS = 9;

interface Program { op: Uint8Array; d: Uint8Array; n: Uint8Array; m: Uint8Array; imm: Int32Array }

/** A deterministic program (xorshift32): ~1/3 memory operations, the rest ALU. */
function makeProgram(): Program {
  let s = 0x1234567;
  const next = (): number => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
  const p: Program = { op: new Uint8Array(PROGRAM_LEN), d: new Uint8Array(PROGRAM_LEN), n: new Uint8Array(PROGRAM_LEN), m: new Uint8Array(PROGRAM_LEN), imm: new Int32Array(PROGRAM_LEN) };
  for (let i = 0; i < PROGRAM_LEN; i++) {
    const r = next();
    p.op[i] = r % OPS;
    p.d[i] = (r >>> 8) % NREGS;
    p.n[i] = (r >>> 13) % NREGS;
    p.m[i] = (r >>> 18) % NREGS;
    p.imm[i] = p.op[i] === Op.LSLI || p.op[i] === Op.LSRI ? (r >>> 23) % 64 : (next() % 4096);
  }
  return p;
}

function initialX(i: number): bigint {
  return (0x0123456789abcdefn * BigInt(i + 1) ^ (BigInt(i) << 59n)) & 0xffffffffffffffffn;
}

// ---------------------------------------------------------------- halves

class HalvesMachine {
  readonly lo = new Int32Array(NREGS);
  readonly hi = new Int32Array(NREGS);
  readonly mem = new Int32Array(MEM_WORDS * 2);
  constructor() {
    for (let i = 0; i < NREGS; i++) { const v = initialX(i); this.lo[i] = Number(v & 0xffffffffn) | 0; this.hi[i] = Number(v >> 32n) | 0; }
    for (let i = 0; i < MEM_WORDS * 2; i++) this.mem[i] = Math.imul(i, 0x9e3779b1) | 0;
  }
  run(p: Program, iterations: number): void {
    const lo = this.lo, hi = this.hi, mem = this.mem;
    const op = p.op, D = p.d, N = p.n, M = p.m, IMM = p.imm;
    for (let it = 0; it < iterations; it++) {
      for (let pc = 0; pc < PROGRAM_LEN; pc++) {
        const d = D[pc], n = N[pc];
        switch (op[pc]) {
          case Op.ADD: {
            const m = M[pc], al = lo[n], bl = lo[m];
            const s = (al >>> 0) + (bl >>> 0);
            hi[d] = (hi[n] + hi[m] + (s > 0xffffffff ? 1 : 0)) | 0;
            lo[d] = s | 0;
            break;
          }
          case Op.SUB: {
            const m = M[pc], al = lo[n] >>> 0, bl = lo[m] >>> 0;
            hi[d] = (hi[n] - hi[m] - (al < bl ? 1 : 0)) | 0;
            lo[d] = (al - bl) | 0;
            break;
          }
          case Op.EOR: { const m = M[pc]; lo[d] = lo[n] ^ lo[m]; hi[d] = hi[n] ^ hi[m]; break; }
          case Op.ADDI: {
            const s = (lo[n] >>> 0) + IMM[pc];
            hi[d] = (hi[n] + (s > 0xffffffff ? 1 : 0)) | 0;
            lo[d] = s | 0;
            break;
          }
          case Op.LSLI: shl(lo, hi, d, n, IMM[pc]); break;
          case Op.LSRI: shr(lo, hi, d, n, IMM[pc]); break;
          case Op.LSRV: shr(lo, hi, d, n, lo[M[pc]] & 63); break;
          case Op.LDR: {
            const a = ((lo[n] + IMM[pc]) & MEM_MASK) << 1;
            lo[d] = mem[a]; hi[d] = mem[a + 1];
            break;
          }
          default: { // STR
            const a = ((lo[n] + IMM[pc]) & MEM_MASK) << 1;
            mem[a] = lo[d]; mem[a + 1] = hi[d];
            break;
          }
        }
      }
    }
  }
  state(): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i < NREGS; i++) out.push((BigInt(this.hi[i] >>> 0) << 32n) | BigInt(this.lo[i] >>> 0));
    let h = 0n;
    for (let i = 0; i < MEM_WORDS; i++) h = (h * 31n + ((BigInt(this.mem[2 * i + 1] >>> 0) << 32n) | BigInt(this.mem[2 * i] >>> 0))) & 0xffffffffffffffffn;
    out.push(h);
    return out;
  }
}

function shl(lo: Int32Array, hi: Int32Array, d: number, n: number, sh: number): void {
  const l = lo[n], h = hi[n];
  if (sh === 0) { lo[d] = l; hi[d] = h; } else if (sh < 32) { hi[d] = (h << sh) | (l >>> (32 - sh)); lo[d] = l << sh; } else { hi[d] = l << (sh - 32); lo[d] = 0; }
}

function shr(lo: Int32Array, hi: Int32Array, d: number, n: number, sh: number): void {
  const l = lo[n], h = hi[n];
  if (sh === 0) { lo[d] = l; hi[d] = h; } else if (sh < 32) { lo[d] = (l >>> sh) | (h << (32 - sh)); hi[d] = h >>> sh; } else { lo[d] = h >>> (sh - 32); hi[d] = 0; }
}

// ---------------------------------------------------------------- BigInt

class BigIntMachine {
  readonly x = new BigUint64Array(NREGS);
  readonly mem = new BigUint64Array(MEM_WORDS);
  constructor() {
    for (let i = 0; i < NREGS; i++) this.x[i] = initialX(i);
    const w = new Int32Array(this.mem.buffer);
    for (let i = 0; i < MEM_WORDS * 2; i++) w[i] = Math.imul(i, 0x9e3779b1) | 0;
  }
  run(p: Program, iterations: number): void {
    const x = this.x, mem = this.mem;
    const op = p.op, D = p.d, N = p.n, M = p.m, IMM = p.imm;
    for (let it = 0; it < iterations; it++) {
      for (let pc = 0; pc < PROGRAM_LEN; pc++) {
        const d = D[pc], n = N[pc];
        switch (op[pc]) {
          case Op.ADD: x[d] = x[n] + x[M[pc]]; break;        // the typed array store wraps mod 2^64
          case Op.SUB: x[d] = x[n] - x[M[pc]]; break;
          case Op.EOR: x[d] = x[n] ^ x[M[pc]]; break;
          case Op.ADDI: x[d] = x[n] + BigInt(IMM[pc]); break;
          case Op.LSLI: x[d] = x[n] << BigInt(IMM[pc]); break;
          case Op.LSRI: x[d] = x[n] >> BigInt(IMM[pc]); break;
          case Op.LSRV: x[d] = x[n] >> (x[M[pc]] & 63n); break;
          case Op.LDR: x[d] = mem[(Number(x[n] & 0xffffffffn) + IMM[pc]) & MEM_MASK]; break;
          default: mem[(Number(x[n] & 0xffffffffn) + IMM[pc]) & MEM_MASK] = x[d]; break;
        }
      }
    }
  }
  state(): bigint[] {
    const out = Array.from(this.x);
    let h = 0n;
    for (let i = 0; i < MEM_WORDS; i++) h = (h * 31n + this.mem[i]) & 0xffffffffffffffffn;
    out.push(h);
    return out;
  }
}

// ---------------------------------------------------------------- measurement

export interface RegrepResult { halvesOpsPerSec: number; bigintOpsPerSec: number; ratio: number; verified: boolean; opsPerRun: number }

/** Runs `machine` repeatedly for about `seconds`, returns operations per second (best of 3 slices). */
function measure(run: (iterations: number) => void, seconds: number): number {
  // Calibrate: grow the slice until it takes >= 50 ms.
  let iters = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    run(iters);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (dt >= 0.05) break;
    iters *= 2;
  }
  let best = 0;
  const deadline = Date.now() + seconds * 1000;
  do {
    const t0 = process.hrtime.bigint();
    run(iters);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, (iters * PROGRAM_LEN) / dt);
  } while (Date.now() < deadline);
  return best;
}

export function runRegrep(seconds = 1.5): RegrepResult {
  const p = makeProgram();
  // Same program, same number of iterations: the two representations must agree exactly.
  const a = new HalvesMachine(), b = new BigIntMachine();
  a.run(p, 50); b.run(p, 50);
  const sa = a.state(), sb = b.state();
  const verified = sa.length === sb.length && sa.every((v, i) => v === sb[i]);
  const h = new HalvesMachine(), g = new BigIntMachine();
  const halvesOpsPerSec = measure((n) => h.run(p, n), seconds);
  const bigintOpsPerSec = measure((n) => g.run(p, n), seconds);
  return { halvesOpsPerSec, bigintOpsPerSec, ratio: halvesOpsPerSec / bigintOpsPerSec, verified, opsPerRun: PROGRAM_LEN };
}

export function formatRegrep(r: RegrepResult): string {
  const m = (v: number): string => `${(v / 1e6).toFixed(1)} M ops/s`;
  return [
    'register representation (switch-dispatched 64-bit add/sub/eor/shift/load/store mix):',
    `  Int32Array halves      ${m(r.halvesOpsPerSec)}`,
    `  BigUint64Array+BigInt  ${m(r.bigintOpsPerSec)}`,
    `  halves / BigInt        ${r.ratio.toFixed(2)}x${r.verified ? '' : '   (WARNING: final states differ!)'}`,
  ].join('\n');
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const si = argv.indexOf('--seconds');
  const r = runRegrep(si >= 0 ? Number(argv[si + 1]) : 1.5);
  process.stdout.write((argv.includes('--json') ? JSON.stringify(r) : formatRegrep(r)) + '\n');
  if (!r.verified) process.exitCode = 1;
}
