import { strict as assert } from 'node:assert';
import {
  ACC_READ, ACC_WRITE, CTX_E10_0, CTX_E10_1, CTX_E10_1_PAN, CTX_E2, CTX_E20_0, CTX_E20_2, CTX_E3, Mmu, PERM_R, PERM_W, PERM_X,
  TLBI_OPS, Tlb, TlbTable, ctxRegime, isBroadcastTlbi, tlbiScope, type TlbiOp, type TlbiState, type Translation,
} from '../../emulator/mmu';
import { MAIR, RAM_BASE, RAM_SIZE, TableAlloc, TableTree, newMem, s1Leaf, tcrEl1, zeroRegs } from './table-builder';

const MEM = { ramBase: RAM_BASE, ramSize: RAM_SIZE };

function tr(p: Partial<Translation>): Translation {
  return {
    pa: RAM_BASE, ipa: RAM_BASE, perms: PERM_R | PERM_W | PERM_X, attr: 0xff, sh: 3, ns: true, global: false,
    s1Shift: 12, s2Shift: 0, level: 3, contiguous: false, stage2: false, s1Attr: 0xff, s1Sh: 3, s2MemAttr: -1, asid: 0, vmid: 0, ...p,
  };
}
const split = (va: bigint): [number, number] => [Number(va & 0xffffffffn) | 0, Number(va >> 32n) | 0];

describe('mmu TLB: lookups', () => {
  it('a hit needs the access to be permitted: tags per read / write / fetch', () => {
    const tlb = new Tlb(MEM);
    const t = tlb.select(CTX_E10_1, 0, 0);
    const [lo, hi] = split(0xffff_0000_1234_5000n);
    assert.equal(t.readOff(lo + 0x10, hi, 4), -1);
    tlb.fill(t, lo, hi, tr({ pa: RAM_BASE + 0x7000, perms: PERM_R | PERM_X }));
    assert.equal(t.readOff(lo + 0x10, hi, 4), 0x7010);
    assert.equal(t.writeOff(lo + 0x10, hi, 4), -1); // read-only: a write misses (and re-walks, and faults)
    assert.equal(t.fetchPa(lo, hi), RAM_BASE + 0x7000);
    // Other VA bits (the high half, or a page 1024 pages away mapping to the same slot) miss.
    assert.equal(t.readOff(lo + 0x10, hi ^ 1, 4), -1);
    assert.equal(t.readOff(lo + (1024 << 12), hi, 4), -1);
    // An access crossing the end of the page is not served directly.
    assert.equal(t.readOff(lo + 0xffe, hi, 4), -1);
    assert.equal(t.readOff(lo + 0xffc, hi, 4), 0x7ffc);
    tlb.fill(t, lo, hi, tr({ pa: RAM_BASE + 0x7000, perms: PERM_W }));
    assert.deepEqual([t.readOff(lo, hi, 1), t.writeOff(lo, hi, 8), t.fetchPa(lo, hi)], [-1, 0x7000, -1]);
  });

  it('Device memory and MMIO pages are never direct (ramOff -1), but keep their PA', () => {
    const tlb = new Tlb(MEM);
    const t = tlb.select(CTX_E10_1, 0, 0);
    const i = tlb.fill(t, 0x1000, 0, tr({ pa: RAM_BASE + 0x3000, attr: 0x04 }));
    assert.deepEqual([t.readOff(0x1000, 0, 4), t.pa[i], t.flags[i] & 2], [-1, RAM_BASE + 0x3000, 2]);
    const j = tlb.fill(t, 0x2000, 0, tr({ pa: 0x0900_0000 }));
    assert.deepEqual([t.readOff(0x2000, 0, 4), t.pa[j]], [-1, 0x0900_0000]);
    const k = tlb.fill(t, 0x3000, 0, tr({ pa: RAM_BASE + RAM_SIZE - 4096 }));
    assert.equal(t.ramOff[k], RAM_SIZE - 4096);
  });

  it('with stage 1 off RAM stays direct, with or without stage 2 (a guest with its MMU off under a hypervisor)', () => {
    const tlb = new Tlb(MEM);
    const t = tlb.select(CTX_E10_1, 0, 1);
    // Stage 1 off: Device-nGnRnE data by the architecture, no alignment check on either path.
    const flat = tlb.fill(t, 0x4000_0000, 0, tr({ pa: RAM_BASE + 0x5000, attr: 0x00, level: -1 }));
    const s2 = tlb.fill(t, 0x4000_1000, 0, tr({ pa: RAM_BASE + 0x9000, attr: 0x00, level: -1, stage2: true, ipa: 0x4000_1000, s2MemAttr: 0xf }));
    assert.deepEqual([t.ramOff[flat], t.ramOff[s2]], [0x5000, 0x9000]);
    assert.equal(t.readOff(0x4000_1008, 0, 8), 0x9008);
    // Stage 1 on with a Device mapping: not direct (every access re-checks alignment).
    const dev = tlb.fill(t, 0x4000_2000, 0, tr({ pa: RAM_BASE + 0xa000, attr: 0x00, level: 3, stage2: true }));
    assert.equal(t.ramOff[dev], -1);
  });

  it('TLBI by VA finds entries of large blocks through the block index, and only those it covers', () => {
    const tlb = new Tlb(MEM);
    const t = tlb.select(CTX_E10_1, 0, 0);
    // Four pages of one 2 MiB block, one page of another block, one 4 KiB page inside the first block's range.
    const blockA = 0x4000_0000, blockB = 0x4020_0000;
    for (const off of [0, 0x1000, 0x5000, 0x1f_f000]) tlb.fill(t, blockA + off, 0, tr({ pa: RAM_BASE + off, s1Shift: 21, global: true }));
    tlb.fill(t, blockB + 0x3000, 0, tr({ pa: RAM_BASE + 0x20_3000, s1Shift: 21, global: true }));
    assert.equal(t.count, 5);
    // A refill of a slot with a 4 KiB page replaces a block entry: the index must forget it.
    tlb.fill(t, blockA + 0x1000, 0, tr({ pa: RAM_BASE + 0x9000, s1Shift: 12, global: true }));
    tlb.invalidate(tlbiScope('VAAE1', BigInt((blockA + 0x8000) / 4096), { vmid: 0 }));
    // Every entry of block A's mapping went; the 4 KiB page (not covering 0x8000) and block B stay.
    assert.deepEqual([t.readOff(blockA, 0, 4), t.readOff(blockA + 0x5000, 0, 4), t.readOff(blockA + 0x1f_f000, 0, 4)], [-1, -1, -1]);
    assert.equal(t.readOff(blockA + 0x1000, 0, 4), 0x9000);
    assert.equal(t.readOff(blockB + 0x3000, 0, 4), 0x20_3000);
    assert.equal(t.count, 2);
  });

  it('select(): one table per (context, ASID, VMID); recycling the least recently selected', () => {
    const tlb = new Tlb(MEM, { entries: 64, tablesPerContext: 2 });
    const a = tlb.select(CTX_E10_0, 1, 0);
    tlb.fill(a, 0x1000, 0, tr({}));
    const b = tlb.select(CTX_E10_0, 2, 0);
    assert.notEqual(a, b);
    assert.equal(b.readOff(0x1000, 0, 1), -1); // ASID 2 does not see ASID 1's entry
    assert.equal(tlb.select(CTX_E10_0, 1, 0), a);
    assert.equal(a.readOff(0x1000, 0, 1), 0);
    assert.notEqual(tlb.select(CTX_E10_1, 1, 0), a); // other context, other table
    tlb.select(CTX_E10_0, 2, 1); // VMID 1 is another key: recycles the LRU table (b)
    assert.deepEqual(tlb.tables(CTX_E10_0).map((t) => [t.asid, t.vmid]).sort(), [[1, 0], [2, 1]]);
    assert.throws(() => new Tlb(MEM, { entries: 100 }));
  });

  it('fills from real walks: permissions of the context are baked in', () => {
    const mem = newMem();
    const regs = zeroRegs();
    regs.mairEl1 = MAIR;
    const tree = new TableTree(mem, new TableAlloc(mem, RAM_BASE + (32 << 20)), 12, 39);
    regs.ttbr0El1 = BigInt(tree.root) | (9n << 48n); regs.tcrEl1 = tcrEl1({ t0sz: 25, ips: 2 }); regs.sctlrEl1 = 1n;
    tree.set(0x5000n, 3, s1Leaf(RAM_BASE + 0x9000, 3, { ap: 3, attrIndx: 1, ng: true, uxn: true })); // RO for EL0 and EL1, EL1-executable
    const mmu = new Mmu(mem, regs);
    const tlb = new Tlb(mem);
    for (const ctx of [CTX_E10_0, CTX_E10_1, CTX_E10_1_PAN]) {
      const t = tlb.select(ctx, mmu.asidFor(ctx), mmu.vmidFor(ctx));
      assert.equal(t.asid, 9);
      const out = mmu.translateVa(0x5000n, ctx, ACC_READ);
      if (!out.ok) { assert.equal(ctx, CTX_E10_1_PAN); continue; } // PAN: EL0-readable page
      tlb.fill(t, 0x5000, 0, out.t);
      assert.deepEqual([t.readOff(0x5008, 0, 8), t.writeOff(0x5008, 0, 8)], [0x9008, -1]);
      assert.equal(t.fetchPa(0x5000, 0), ctx === CTX_E10_0 ? -1 : RAM_BASE + 0x9000);
      assert.equal(mmu.translateVa(0x5000n, ctx, ACC_WRITE).ok, false);
    }
  });
});

// ---- TLBI: every op against an independent reference predicate over a varied population.

interface Rec {
  ctx: number; asid: number; vmid: number; va: bigint; global: boolean; span: number; ipa?: bigint; s2span: number;
  table: TlbTable; slot: number;
}

const A = 0x0000_0000_0040_1000n;
const B = 0x0000_0000_0040_2000n;
const BLK = 0x0000_0000_0060_5000n; // in a 2 MiB block
const P64 = 0x0000_0000_0081_3000n; // in a 64 KiB page
const CONTIG = 0x0000_0000_00a0_7000n; // in a 16 x 4 KiB contiguous run
const HI_A = 0xffff_0000_0040_1000n; // TTBR1 half, same low bits as A
const TAG_A = 0x5a00_0000_0040_1000n; // A with a TBI tag

function population(): { tlb: Tlb; recs: Rec[] } {
  const tlb = new Tlb(MEM);
  const recs: Rec[] = [];
  const keys: [number, number, number, bigint][] = [
    [CTX_E10_1, 1, 5, A], [CTX_E10_0, 1, 5, A], [CTX_E10_0, 0x101, 5, A], [CTX_E10_1_PAN, 2, 5, TAG_A], [CTX_E10_1, 1, 6, HI_A], [CTX_E10_1, 2, 6, A],
    [CTX_E10_1, 1, -1, A], [CTX_E10_0, 7, -1, HI_A], [CTX_E2, 0, 0, A], [CTX_E20_2, 3, 0, A], [CTX_E20_0, 4, 0, HI_A], [CTX_E3, 0, 0, A],
  ];
  for (const [ctx, asid, vmid, first] of keys) {
    const t = tlb.select(ctx, asid, vmid);
    const el10 = ctxRegime(ctx) === 'el10';
    const single = ctx === CTX_E2 || ctx === CTX_E3;
    const items: [bigint, boolean, number, bigint | undefined, number][] = [
      // va, global, span, ipa, s2span
      [first, false, 12, el10 ? 0x8000_1000n : undefined, 12],
      [B, true, 12, el10 ? 0x8000_2000n : undefined, 21],
      [BLK, false, 21, el10 ? 0x9000_5000n : undefined, 12],
      [P64, true, 16, undefined, 0],
      [CONTIG, false, 16, el10 ? 0x8010_0000n : undefined, 12],
    ];
    for (const [va, g, span, ipa, s2span] of items) {
      const [lo, hi] = split(va);
      const slot = tlb.fill(t, lo, hi, tr({
        global: g || single, s1Shift: span, stage2: ipa !== undefined, ipa: ipa === undefined ? 0 : Number(ipa), s2Shift: ipa === undefined ? 0 : s2span, asid, vmid,
      }));
      recs.push({ ctx, asid, vmid, va, global: g || single, span, ipa, s2span, table: t, slot });
    }
  }
  return { tlb, recs };
}

const page44 = (va: bigint): bigint => (va >> 12n) & ((1n << 44n) - 1n);
const covers = (r: Rec, va: bigint): boolean => page44(r.va) >> BigInt(r.span - 12) === page44(va) >> BigInt(r.span - 12);
const s2covers = (r: Rec, ipa: bigint): boolean => r.ipa !== undefined && r.ipa >> BigInt(r.s2span) === ipa >> BigInt(r.s2span);
const isEl10 = (r: Rec): boolean => r.ctx <= CTX_E10_1_PAN;
const isEl20 = (r: Rec): boolean => r.ctx >= CTX_E20_0 && r.ctx <= CTX_E20_0 + 2;

interface Case { op: TlbiOp; xt: bigint; st: TlbiState; drops: (r: Rec) => boolean }
const vaXt = (asid: number, va: bigint): bigint => (BigInt(asid) << 48n) | page44(va);
const CASES: Case[] = [
  { op: 'VMALLE1', xt: 0n, st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 },
  { op: 'VMALLE1IS', xt: 0n, st: { vmid: -1 }, drops: (r) => isEl10(r) && r.vmid === -1 },
  { op: 'VMALLE1', xt: 0n, st: { hostEl20: true }, drops: (r) => isEl20(r) },
  { op: 'VAE1', xt: vaXt(1, A), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && (r.global || r.asid === 1) && covers(r, A) },
  { op: 'VAE1IS', xt: vaXt(2, A), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && (r.global || r.asid === 2) && covers(r, A) },
  { op: 'VAE1', xt: vaXt(1, 0x0000_0000_007f_f000n), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && (r.global || r.asid === 1) && covers(r, 0x7ff000n) },
  { op: 'VAE1', xt: vaXt(9, 0x0000_0000_0081_f000n), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && r.global && covers(r, 0x81f000n) },
  { op: 'VAE1', xt: vaXt(1, HI_A), st: { vmid: 6 }, drops: (r) => isEl10(r) && r.vmid === 6 && (r.global || r.asid === 1) && covers(r, HI_A) },
  { op: 'VAE1', xt: vaXt(0x101, A), st: { vmid: 5, asid16: false }, drops: (r) => isEl10(r) && r.vmid === 5 && (r.global || r.asid === 1) && covers(r, A) },
  { op: 'VAE1', xt: vaXt(0x101, A), st: { vmid: 5, asid16: true }, drops: (r) => isEl10(r) && r.vmid === 5 && (r.global || r.asid === 0x101) && covers(r, A) },
  { op: 'VALE1', xt: vaXt(1, CONTIG + 0x8000n), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && (r.global || r.asid === 1) && covers(r, CONTIG + 0x8000n) },
  { op: 'VALE1IS', xt: vaXt(1, A), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && (r.global || r.asid === 1) && covers(r, A) },
  { op: 'VAAE1', xt: vaXt(0, A), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && covers(r, A) },
  { op: 'VAAE1IS', xt: vaXt(0, BLK + 0x10000n), st: { vmid: 6 }, drops: (r) => isEl10(r) && r.vmid === 6 && covers(r, BLK + 0x10000n) },
  { op: 'VAALE1', xt: vaXt(0, B), st: { vmid: -1 }, drops: (r) => isEl10(r) && r.vmid === -1 && covers(r, B) },
  { op: 'VAALE1IS', xt: vaXt(0, A), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && covers(r, A) },
  { op: 'ASIDE1', xt: vaXt(1, 0n), st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && !r.global && r.asid === 1 },
  { op: 'ASIDE1IS', xt: vaXt(2, 0n), st: { vmid: 6 }, drops: (r) => isEl10(r) && r.vmid === 6 && !r.global && r.asid === 2 },
  { op: 'ASIDE1', xt: vaXt(4, 0n), st: { hostEl20: true }, drops: (r) => isEl20(r) && !r.global && r.asid === 4 },
  { op: 'VMALLS12E1', xt: 0n, st: { vmid: 6 }, drops: (r) => isEl10(r) && r.vmid === 6 },
  { op: 'VMALLS12E1IS', xt: 0n, st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 },
  { op: 'IPAS2E1', xt: 0x80010n, st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && s2covers(r, 0x8001_0000n) },
  { op: 'IPAS2E1IS', xt: 0x80001n, st: { vmid: 6 }, drops: (r) => isEl10(r) && r.vmid === 6 && s2covers(r, 0x8000_1000n) },
  { op: 'IPAS2LE1', xt: 0x90005n, st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && s2covers(r, 0x9000_5000n) },
  { op: 'IPAS2LE1IS', xt: 0x80100n, st: { vmid: 5 }, drops: (r) => isEl10(r) && r.vmid === 5 && s2covers(r, 0x8010_0000n) },
  { op: 'ALLE1', xt: 0n, st: { secure: false }, drops: (r) => isEl10(r) && r.vmid >= 0 },
  { op: 'ALLE1IS', xt: 0n, st: { secure: true }, drops: (r) => isEl10(r) && r.vmid === -1 },
  { op: 'ALLE2', xt: 0n, st: {}, drops: (r) => r.ctx === CTX_E2 || isEl20(r) },
  { op: 'ALLE2IS', xt: 0n, st: {}, drops: (r) => r.ctx === CTX_E2 || isEl20(r) },
  { op: 'VAE2', xt: vaXt(0, A), st: {}, drops: (r) => r.ctx === CTX_E2 && covers(r, A) },
  { op: 'VAE2IS', xt: vaXt(3, A), st: { e2h: true }, drops: (r) => isEl20(r) && (r.global || r.asid === 3) && covers(r, A) },
  { op: 'VALE2', xt: vaXt(0, P64 + 0x4000n), st: {}, drops: (r) => r.ctx === CTX_E2 && covers(r, P64 + 0x4000n) },
  { op: 'VALE2IS', xt: vaXt(4, HI_A), st: { e2h: true }, drops: (r) => isEl20(r) && (r.global || r.asid === 4) && covers(r, HI_A) },
  { op: 'ALLE3', xt: 0n, st: {}, drops: (r) => r.ctx === CTX_E3 },
  { op: 'ALLE3IS', xt: 0n, st: {}, drops: (r) => r.ctx === CTX_E3 },
  { op: 'VAE3', xt: vaXt(0, B), st: {}, drops: (r) => r.ctx === CTX_E3 && covers(r, B) },
  { op: 'VAE3IS', xt: vaXt(0, BLK), st: {}, drops: (r) => r.ctx === CTX_E3 && covers(r, BLK) },
  { op: 'VALE3', xt: vaXt(0, CONTIG + 0x3000n), st: {}, drops: (r) => r.ctx === CTX_E3 && covers(r, CONTIG + 0x3000n) },
  { op: 'VALE3IS', xt: vaXt(0, P64 + 0x1000n), st: {}, drops: (r) => r.ctx === CTX_E3 && covers(r, P64 + 0x1000n) },
];

describe('mmu TLB: TLBI drops exactly what it should', () => {
  it('every v8.0 TLBI operation (and its IS form) is covered by a case', () => {
    const seen = new Set(CASES.map((c) => c.op));
    for (const op of TLBI_OPS) { assert.ok(seen.has(op), op); assert.ok(seen.has(`${op}IS`), `${op}IS`); }
  });

  for (const c of CASES) {
    it(`TLBI ${c.op} ${c.xt ? `0x${c.xt.toString(16)}` : ''} ${JSON.stringify(c.st)}`, () => {
      const { tlb, recs } = population();
      const before = recs.filter((r) => r.table.vpn[r.slot] >= 0).length;
      assert.equal(before, recs.length);
      tlb.invalidate(tlbiScope(c.op, c.xt, c.st));
      const dropped = recs.filter((r) => r.table.vpn[r.slot] < 0);
      const expected = recs.filter(c.drops);
      const name = (r: Rec): string => `ctx${r.ctx}/asid${r.asid}/vmid${r.vmid}/0x${r.va.toString(16)}`;
      assert.deepEqual(dropped.map(name).sort(), expected.map(name).sort());
      // The hot-path tags go with the entry.
      for (const r of dropped) assert.deepEqual([r.table.tagR[r.slot], r.table.tagW[r.slot], r.table.tagX[r.slot], r.table.ramOff[r.slot]], [-1, -1, -1, -1]);
      assert.ok(expected.length > 0 && expected.length < recs.length, 'each case must drop something and keep something');
      assert.equal(isBroadcastTlbi(c.op), c.op.endsWith('IS'));
    });
  }

  it('the named methods are the same operations', () => {
    const ops: [(t: Tlb) => void, Case][] = [
      [(t) => t.vmalle1(5), CASES[0]], [(t) => t.vae1(5, vaXt(1, A)), CASES[3]], [(t) => t.vale1(5, vaXt(1, A)), CASES[3]],
      [(t) => t.vaae1(5, vaXt(0, A)), CASES[12]], [(t) => t.vaale1(5, vaXt(0, A)), CASES[12]], [(t) => t.aside1(5, vaXt(1, 0n)), CASES[16]],
      [(t) => t.vmalls12e1(6), CASES[19]], [(t) => t.ipas2e1(5, 0x80010n), CASES[21]], [(t) => t.ipas2le1(5, 0x80010n), CASES[21]],
      [(t) => t.alle1(false), CASES[25]], [(t) => t.alle1(true), CASES[26]], [(t) => t.alle2(), CASES[27]],
      [(t) => t.vae2(vaXt(0, A)), CASES[29]], [(t) => t.vale2(vaXt(3, A), true), CASES[30]], [(t) => t.alle3(), CASES[33]],
      [(t) => t.vae3(vaXt(0, B)), CASES[35]], [(t) => t.vale3(vaXt(0, B)), CASES[35]],
    ];
    for (const [fn, c] of ops) {
      const { tlb, recs } = population();
      fn(tlb);
      assert.deepEqual(recs.map((r) => r.table.vpn[r.slot] < 0), recs.map(c.drops), c.op);
    }
  });

  it('randomised: TLBI by VA over mixed page/block spans agrees with brute force', () => {
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    for (let round = 0; round < 200; round++) {
      const tlb = new Tlb(MEM, { entries: 64 });
      const t = tlb.select(CTX_E10_1, 1, 0);
      const live = new Map<number, { va: bigint; span: number }>();
      for (let k = 0; k < 40; k++) {
        const span = [12, 12, 14, 16, 16, 21, 25, 30][rnd(8)];
        const va = (BigInt(rnd(1 << 20)) << 12n) | (rnd(2) ? 0xffff_0000_0000_0000n : 0n);
        const [lo, hi] = split(va);
        const slot = tlb.fill(t, lo, hi, tr({ s1Shift: span }));
        live.set(slot, { va, span });
      }
      const target = (BigInt(rnd(1 << 20)) << 12n) | (rnd(2) ? 0xffff_0000_0000_0000n : 0n);
      t.invalidateEntries('all', Number(page44(target)), undefined);
      for (const [slot, e] of live) {
        const covered = page44(e.va) >> BigInt(e.span - 12) === page44(target) >> BigInt(e.span - 12);
        assert.equal(t.vpn[slot] < 0, covered, `round ${round} slot ${slot}`);
      }
    }
  });

  it('flushCtx and flushAll', () => {
    const { tlb, recs } = population();
    tlb.flushCtx(1 << CTX_E3);
    assert.deepEqual(recs.filter((r) => r.table.vpn[r.slot] < 0).map((r) => r.ctx), [CTX_E3, CTX_E3, CTX_E3, CTX_E3, CTX_E3]);
    tlb.flushAll();
    assert.ok(recs.every((r) => r.table.vpn[r.slot] < 0 && r.table.count === 0));
  });

  it('IS forms have the same scope as the local forms', () => {
    for (const c of CASES) {
      const base = (c.op.endsWith('IS') ? c.op.slice(0, -2) : c.op) as TlbiOp;
      assert.deepEqual(tlbiScope(`${base}IS` as TlbiOp, c.xt, c.st), tlbiScope(base, c.xt, c.st));
    }
  });
});

