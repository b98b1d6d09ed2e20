// Micro-benchmark of the MMU's costs: a TLB hit (what every load/store pays with the MMU on),
// a miss (a 4-level table walk), and TLBI by VA. `npx tsc -p tsconfig.json && node out/bench/mmu-tlb.js`
//
// The hit loop is the CPU's fast path as tlb.ts describes it: index, compare the tag, add the
// page's RAM offset, read RAM through a DataView. The baseline is the same loop without the TLB
// (the MMU-off-like direct RAM access), so the difference is the translation's cost.
import { PhysicalMemory } from '../emulator/cpu/physical-memory';
import { ACC_READ, CTX_E10_1, Mmu, Tlb, type MmuRegs } from '../emulator/mmu';

const RAM_BASE = 0x40000000;
const mem = new PhysicalMemory(RAM_BASE, 64 << 20);
const view = mem.view;

// Page tables: 4 KiB granule, 48-bit VA (4 levels), 64 pages mapped at VA 0x0000_7f00_0000_0000.
const TABLES = RAM_BASE + (32 << 20);
let next = TABLES;
const alloc = (): number => { const a = next; next += 4096; return a; };
const w64 = (pa: number, v: bigint): void => { mem.write32(pa, Number(v & 0xffffffffn) | 0); mem.write32(pa + 4, Number(v >> 32n) | 0); };
const root = alloc();
const VA_BASE = 0x0000_7f00_0000_0000n;
const PAGES = 64;
{
  const l1 = alloc(), l2 = alloc(), l3 = alloc();
  const idx = (va: bigint, l: number): number => Number((va >> BigInt(12 + 9 * (3 - l))) & 511n);
  w64(root + idx(VA_BASE, 0) * 8, BigInt(l1) | 3n);
  w64(l1 + idx(VA_BASE, 1) * 8, BigInt(l2) | 3n);
  w64(l2 + idx(VA_BASE, 2) * 8, BigInt(l3) | 3n);
  for (let p = 0; p < PAGES; p++) w64(l3 + (idx(VA_BASE, 3) + p) * 8, BigInt(RAM_BASE + p * 4096) | 3n | (1n << 2n) | (3n << 8n) | (1n << 10n));
}
const regs: MmuRegs = {
  sctlrEl1: 1n, sctlrEl2: 0n, sctlrEl3: 0n, tcrEl1: 16n | (2n << 30n) | (2n << 32n) | (16n << 16n), tcrEl2: 0n, tcrEl3: 0n,
  ttbr0El1: BigInt(root), ttbr1El1: 0n, ttbr0El2: 0n, ttbr1El2: 0n, ttbr0El3: 0n,
  mairEl1: 0xff00n, mairEl2: 0n, mairEl3: 0n, hcrEl2: 0n, vtcrEl2: 0n, vttbrEl2: 0n, scrEl3: 1n,
};
const mmu = new Mmu(mem, regs, { paBits: 40, haveEl2: true, haveEl3: true, vhe: false });
const tlb = new Tlb(mem);
const table = tlb.select(CTX_E10_1, mmu.asidFor(CTX_E10_1), mmu.vmidFor(CTX_E10_1));
const vaLo = Number(VA_BASE & 0xffffffffn) | 0, vaHi = Number(VA_BASE >> 32n) | 0;
for (let p = 0; p < PAGES; p++) {
  const out = mmu.translate({ lo: vaLo + p * 4096, hi: vaHi, ctx: CTX_E10_1, access: ACC_READ });
  if (!out.ok) throw new Error(`bench setup: page ${p} faults`);
  tlb.fill(table, vaLo + p * 4096, vaHi, out.t);
}

let lastSink = 0;
function timeIt(name: string, n: number, fn: () => number): number {
  fn(); fn(); // warm up / optimise
  const t0 = process.hrtime.bigint();
  lastSink = fn();
  const ns = Number(process.hrtime.bigint() - t0);
  const per = ns / n;
  process.stdout.write(`${name.padEnd(44)} ${(n / (ns / 1e9) / 1e6).toFixed(1).padStart(8)} M/s  ${per.toFixed(2).padStart(7)} ns each\n`);
  return per;
}
function sameSum(what: string, want: number): void {
  if (lastSink !== want) throw new Error(`${what}: checksum 0x${(lastSink >>> 0).toString(16)} != 0x${(want >>> 0).toString(16)} (TLB lookups missed)`);
}

// Distinct data in the mapped RAM so the loops' sums prove every lookup hit the right page.
for (let off = 0; off < PAGES * 4096; off += 4) view.setInt32(off, off * 2654435761, true);

const N = 20_000_000;
// Addresses: a stride walk over the 64 mapped pages, 8-byte aligned.
const offs = new Int32Array(4096);
for (let i = 0; i < offs.length; i++) offs[i] = ((i * 2654435761) >>> 0) % (PAGES * 4096) & ~7;

const base = timeIt('direct RAM load (no translation)', N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s = (s + view.getInt32(offs[i & 4095], true)) | 0;
  return s;
});
const want = lastSink;
const hit = timeIt('TLB hit + RAM load (table.readOff)', N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) {
    const off = table.readOff(vaLo + offs[i & 4095], vaHi, 4);
    s = (s + (off >= 0 ? view.getInt32(off, true) : 0)) | 0;
  }
  return s;
});
sameSum('readOff', want);
const tagR = table.tagR, ramOff = table.ramOff, mask = table.mask;
timeIt('TLB hit + RAM load (inlined typed arrays)', N, () => {
  let s = 0;
  for (let i = 0; i < N; i++) {
    const lo = vaLo + offs[i & 4095];
    const j = (lo >>> 12) & mask;
    if (tagR[j] === (vaHi >>> 0) * 1048576 + (lo >>> 12) && (lo & 0xfff) <= 4092) s = (s + view.getInt32(ramOff[j] + (lo & 0xfff), true)) | 0;
  }
  return s;
});
sameSum('inlined', want);
process.stdout.write(`=> a TLB hit costs about ${(hit - base).toFixed(2)} ns over a direct RAM access\n`);

const W = 200_000;
timeIt('TLB miss: 4-level stage 1 walk (translate)', W, () => {
  let s = 0;
  for (let i = 0; i < W; i++) {
    const out = mmu.translate({ lo: vaLo + (i & 63) * 4096, hi: vaHi, ctx: CTX_E10_1, access: ACC_READ });
    if (out.ok) s = (s + out.t.pa) | 0;
  }
  return s;
});
const T = 200_000;
timeIt('TLBI VAE1 (by VA, 4 KiB entries)', T, () => {
  for (let i = 0; i < T; i++) tlb.vae1(0, BigInt.asUintN(64, (VA_BASE >> 12n) + BigInt(i & 63)));
  return 0;
});
