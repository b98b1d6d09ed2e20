import { strict as assert } from 'node:assert';
import {
  ACC_FETCH, ACC_READ, ACC_WRITE, CTX_E10_0, CTX_E10_1, CTX_E10_1_PAN, CTX_E2, CTX_E20_0, CTX_E20_2, CTX_E3, Mmu,
  type AccessKind, type MmuConfig, type MmuFault, type TranslateOutcome, type Translation,
} from '../../emulator/mmu';
import { MAIR, RAM_BASE, TableAlloc, TableTree, newMem, s1Leaf, tcrEl1, tcrEl23, write64, zeroRegs, type MutableRegs } from './table-builder';
import type { PhysicalMemory } from '../../emulator/cpu/physical-memory';

const TABLES = RAM_BASE + (32 << 20);
const TG0: Record<number, number> = { 12: 0, 16: 1, 14: 2 };
const TG1: Record<number, number> = { 14: 1, 12: 2, 16: 3 };
const SCTLR_M = 1n, SCTLR_I = 1n << 12n, SCTLR_WXN = 1n << 19n;

interface Env { mem: PhysicalMemory; regs: MutableRegs; mmu: Mmu; alloc: TableAlloc }
function env(cfg: Partial<MmuConfig> = {}): Env {
  const mem = newMem();
  const regs = zeroRegs();
  regs.mairEl1 = MAIR; regs.mairEl2 = MAIR; regs.mairEl3 = MAIR;
  const mmu = new Mmu(mem, regs, { paBits: 40, haveEl2: true, haveEl3: true, vhe: false, ...cfg });
  return { mem, regs, mmu, alloc: new TableAlloc(mem, TABLES) };
}
/** An EL1&0 setup: TTBR0 (and TTBR1) trees for `grain` with T0SZ/T1SZ = tsz. */
function el1(e: Env, grain: number, tsz: number, extra: Parameters<typeof tcrEl1>[0] = {}): { t0: TableTree; t1: TableTree } {
  const t0 = new TableTree(e.mem, e.alloc, grain, 64 - tsz);
  const t1 = new TableTree(e.mem, e.alloc, grain, 64 - tsz);
  e.regs.ttbr0El1 = BigInt(t0.root);
  e.regs.ttbr1El1 = BigInt(t1.root);
  e.regs.tcrEl1 = tcrEl1({ t0sz: tsz, t1sz: tsz, tg0: TG0[grain], tg1: TG1[grain], ips: 2, ...extra });
  e.regs.sctlrEl1 = SCTLR_M;
  return { t0, t1 };
}
function ok(o: TranslateOutcome): Translation {
  if (!o.ok) assert.fail(`unexpected fault ${JSON.stringify(o.fault, (_k, v) => typeof v === 'bigint' ? `0x${v.toString(16)}` : v)}`);
  return o.t;
}
function bad(o: TranslateOutcome): MmuFault {
  if (o.ok) assert.fail(`expected a fault, got PA 0x${o.t.pa.toString(16)}`);
  return o.fault;
}
const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);

describe('mmu stage 1: granules, TxSZ and start levels', () => {
  it('without FEAT_TGran16 (Cortex-A53) a TGx selecting 16 KiB walks as 4 KiB, as QEMU 7.2', () => {
    const e = env({ tgran16: false });
    const { t0, t1 } = el1(e, 12, 25);
    e.regs.tcrEl1 = tcrEl1({ t0sz: 25, t1sz: 25, tg0: TG0[14], tg1: TG1[14], ips: 2 });
    const va0 = 0x12345000n + 0x678n, va1 = U64(-(1n << 39n)) + 0x3000n + 0x9an;
    t0.set(va0, 3, s1Leaf(RAM_BASE + 0x5000, 3, { attrIndx: 1 }));
    t1.set(va1, 3, s1Leaf(RAM_BASE + 0x9000, 3, { attrIndx: 1 }));
    const r0 = ok(e.mmu.translateVa(va0, CTX_E10_1, ACC_READ));
    assert.equal(r0.pa, RAM_BASE + 0x5678);
    assert.equal(r0.s1Shift, 12);
    assert.equal(ok(e.mmu.translateVa(va1, CTX_E10_1, ACC_READ)).pa, RAM_BASE + 0x909a);
    // With the granule implemented the same TCR walks 16 KiB tables: the 4 KiB tree means nothing.
    const f = env({ tgran16: true });
    el1(f, 12, 25);
    f.regs.tcrEl1 = tcrEl1({ t0sz: 25, t1sz: 25, tg0: TG0[14], tg1: TG1[14], ips: 2 });
    assert.equal(bad(f.mmu.translateVa(va0, CTX_E10_1, ACC_READ)).kind, 'translation');
  });

  for (const grain of [12, 14, 16]) {
    for (const tsz of [16, 17, 20, 22, 25, 28, 30, 31, 33, 34, 36, 38, 39]) {
      it(`${2 ** (grain - 10)} KiB granule, TxSZ=${tsz}: TTBR0 and TTBR1 pages`, () => {
        const e = env();
        const { t0, t1 } = el1(e, grain, tsz);
        const size = 2 ** grain;
        const inBits = 64 - tsz;
        // Near the top of the TTBR0 range and the bottom of the TTBR1 range (exercises every index bit).
        const va0 = (1n << BigInt(inBits)) - 3n * BigInt(size) + 0x123n;
        const va1 = U64(-(1n << BigInt(inBits))) + 5n * BigInt(size) + 0x456n;
        t0.set(va0, 3, s1Leaf(RAM_BASE + 7 * size, 3, { attrIndx: 1 }));
        t1.set(va1, 3, s1Leaf(RAM_BASE + 9 * size, 3, { attrIndx: 1 }));
        const r0 = ok(e.mmu.translateVa(va0, CTX_E10_1, ACC_READ));
        assert.equal(r0.pa, RAM_BASE + 7 * size + 0x123);
        assert.equal(r0.level, 3);
        assert.equal(r0.s1Shift, grain);
        const r1 = ok(e.mmu.translateVa(va1, CTX_E10_1, ACC_READ));
        assert.equal(r1.pa, RAM_BASE + 9 * size + 0x456);
        // The neighbouring unmapped page faults at level 3 (the tables above exist).
        const f = bad(e.mmu.translateVa(va0 + BigInt(size), CTX_E10_1, ACC_READ));
        assert.deepEqual([f.kind, f.level, f.stage], ['translation', 3, 1]);
        // The first VA past the TTBR0 range is in neither range: level 0 Translation fault.
        const g = bad(e.mmu.translateVa(1n << BigInt(inBits), CTX_E10_1, ACC_READ));
        assert.deepEqual([g.kind, g.level], ['translation', 0]);
      });
    }
  }

  it('TG1 uses its own encoding (TG1=2 is 4 KiB, TG0=2 is 16 KiB)', () => {
    const e = env();
    const { t1 } = el1(e, 12, 25);
    const va = U64(-(1n << 39n)) + 0x5000n;
    t1.set(va, 3, s1Leaf(RAM_BASE + 0x3000, 3));
    assert.equal(ok(e.mmu.translateVa(va, CTX_E10_1, ACC_READ)).pa, RAM_BASE + 0x3000);
    // Mis-encoding TG1 with the TG0 value for 4 KiB (0 = reserved for TG1, treated as 4 KiB) still works;
    // but TG1=1 (16 KiB) must change the walk and miss this tree's layout.
    e.regs.tcrEl1 = tcrEl1({ t0sz: 25, t1sz: 25, tg0: 0, tg1: 1, ips: 2 });
    const o = e.mmu.translateVa(va, CTX_E10_1, ACC_READ);
    assert.ok(!o.ok || o.t.pa !== RAM_BASE + 0x3000);
  });

  const blocks: [number, number, number][] = [[12, 1, 16], [12, 2, 16], [12, 2, 39], [14, 2, 16], [14, 2, 30], [16, 2, 16], [16, 2, 25]];
  for (const [grain, level, tsz] of blocks) {
    it(`block at level ${level} with ${2 ** (grain - 10)} KiB granule (TxSZ=${tsz})`, () => {
      const e = env();
      const { t0 } = el1(e, grain, tsz);
      const shift = grain + (grain - 3) * (3 - level);
      const bsz = 2 ** shift;
      const pa = Math.ceil(RAM_BASE / bsz) * bsz;
      const va = 3n * BigInt(bsz) + 0x1234n;
      if (va >= 1n << BigInt(64 - tsz)) return assert.fail('test VA out of range');
      t0.set(va, level, s1Leaf(pa, level));
      const r = ok(e.mmu.translateVa(va + 0x10000n, CTX_E10_1, ACC_READ));
      assert.equal(r.pa, pa + 0x1234 + 0x10000);
      assert.equal(r.level, level);
      assert.equal(r.s1Shift, shift);
    });
  }

  const badBlocks: [number, number][] = [[12, 0], [14, 1], [16, 1], [14, 0]];
  for (const [grain, level] of badBlocks) {
    it(`a block descriptor at level ${level} with ${2 ** (grain - 10)} KiB granule is a Translation fault`, () => {
      const e = env();
      const { t0 } = el1(e, grain, 16);
      const va = 0x8000000000n;
      t0.set(va, level, s1Leaf(0, level));
      const f = bad(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
      assert.deepEqual([f.kind, f.level], ['translation', level]);
    });
  }

  it('translation fault at each level where the walk stops', () => {
    const e = env();
    const { t0 } = el1(e, 12, 16);
    const va = 0x0000_1234_5678_9000n;
    let f = bad(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['translation', 0]);
    t0.slot(va, 1);
    f = bad(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['translation', 1]);
    t0.slot(va, 2);
    f = bad(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['translation', 2]);
    t0.slot(va, 3);
    f = bad(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['translation', 3]);
    // 0b01 at level 3 is reserved: Translation fault.
    t0.set(va, 3, s1Leaf(RAM_BASE, 3) & ~2n);
    f = bad(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['translation', 3]);
    t0.set(va, 3, s1Leaf(RAM_BASE, 3));
    assert.equal(ok(e.mmu.translateVa(va + 0xabcn, CTX_E10_1, ACC_READ)).pa, RAM_BASE + 0xabc);
    assert.equal(f.va, va);
  });

  it('a walk into unmapped physical space is an External abort on the walk', () => {
    const e = env();
    el1(e, 12, 16);
    e.regs.ttbr0El1 = 0x1000n;
    const f = bad(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level, f.stage], ['external-walk', 0, 1]);
  });
});

describe('mmu stage 1: range checks and address size', () => {
  it('TxSZ out of [16, 39] is a level 0 Translation fault', () => {
    for (const tsz of [10, 15, 40, 48]) {
      const e = env();
      const { t0 } = el1(e, 12, 25);
      t0.set(0x4000n, 3, s1Leaf(RAM_BASE, 3));
      e.regs.tcrEl1 = tcrEl1({ t0sz: tsz, ips: 2 });
      const f = bad(e.mmu.translateVa(0x4000n, CTX_E10_1, ACC_READ));
      assert.deepEqual([f.kind, f.level], ['translation', 0], `T0SZ=${tsz}`);
    }
  });

  it('EPD0 / EPD1 disable the walks of their half', () => {
    const e = env();
    const { t0, t1 } = el1(e, 12, 25);
    t0.set(0x4000n, 3, s1Leaf(RAM_BASE, 3));
    const hiVa = 0xffff_ff80_0000_4000n;
    t1.set(hiVa, 3, s1Leaf(RAM_BASE, 3));
    e.regs.tcrEl1 = tcrEl1({ t0sz: 25, t1sz: 25, tg1: 2, ips: 2, epd0: true });
    assert.deepEqual([bad(e.mmu.translateVa(0x4000n, CTX_E10_1, ACC_READ)).kind], ['translation']);
    ok(e.mmu.translateVa(hiVa, CTX_E10_1, ACC_READ));
    e.regs.tcrEl1 = tcrEl1({ t0sz: 25, t1sz: 25, tg1: 2, ips: 2, epd1: true });
    ok(e.mmu.translateVa(0x4000n, CTX_E10_1, ACC_READ));
    const f = bad(e.mmu.translateVa(hiVa, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['translation', 0]);
  });

  it('TTBR base beyond the output size: Address size fault, level 0', () => {
    const e = env();
    el1(e, 12, 25, { ips: 0 }); // 32-bit output
    e.regs.ttbr0El1 = 0x1_0000_0000n;
    const f = bad(e.mmu.translateVa(0x4000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['address-size', 0]);
  });

  it('output and next-table addresses beyond TCR.IPS fault at their level; IPS is capped by PAMax', () => {
    const e = env();
    const { t0 } = el1(e, 12, 25, { ips: 1 }); // 36 bits
    t0.set(0x4000n, 3, s1Leaf(2 ** 36, 3));
    let f = bad(e.mmu.translateVa(0x4000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['address-size', 3]);
    t0.set(0x4000n, 3, s1Leaf(2 ** 36 - 4096, 3));
    assert.equal(ok(e.mmu.translateVa(0x4000n, CTX_E10_1, ACC_READ)).pa, 2 ** 36 - 4096);
    // A level 2 block output beyond the size.
    t0.set(0x4000_0000n, 2, s1Leaf(2 ** 37, 2));
    f = bad(e.mmu.translateVa(0x4000_0000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['address-size', 2]);
    // A level 1 table descriptor pointing beyond the size.
    write64(e.mem, t0.slot(0x1_0000_0000n, 1), (1n << 37n) | 3n);
    f = bad(e.mmu.translateVa(0x1_0000_0000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['address-size', 1]);
    // IPS = 48 bits, PAMax = 40: outputs at 2^41 fault; with PAMax = 48 they do not.
    e.regs.tcrEl1 = tcrEl1({ t0sz: 25, ips: 5 });
    t0.set(0x4000n, 3, s1Leaf(2 ** 41, 3));
    f = bad(e.mmu.translateVa(0x4000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['address-size', 3]);
    const wide = new Mmu(e.mem, e.regs, { paBits: 48, haveEl2: true, haveEl3: true, vhe: false });
    assert.equal(ok(wide.translateVa(0x4000n, CTX_E10_1, ACC_READ)).pa, 2 ** 41);
  });

  it('TBI: the top byte is ignored only when TBI of that half is set', () => {
    const e = env();
    const { t0, t1 } = el1(e, 12, 25, { tbi0: true });
    t0.set(0x4000n, 3, s1Leaf(RAM_BASE + 0x1000, 3));
    const hiVa = 0xffff_ff80_0000_4000n;
    t1.set(hiVa, 3, s1Leaf(RAM_BASE + 0x2000, 3));
    assert.equal(ok(e.mmu.translateVa(0x5a00_0000_0000_4010n, CTX_E10_1, ACC_READ)).pa, RAM_BASE + 0x1010);
    // TBI1 clear: a tag on a TTBR1 address is a range violation.
    assert.equal(bad(e.mmu.translateVa(0x5aff_ff80_0000_4000n, CTX_E10_1, ACC_READ)).kind, 'translation');
    e.regs.tcrEl1 = tcrEl1({ t0sz: 25, t1sz: 25, tg1: 2, ips: 2, tbi1: true });
    assert.equal(ok(e.mmu.translateVa(0x5aff_ff80_0000_4008n, CTX_E10_1, ACC_READ)).pa, RAM_BASE + 0x2008);
    assert.equal(bad(e.mmu.translateVa(0x5a00_0000_0000_4010n, CTX_E10_1, ACC_READ)).kind, 'translation');
  });
});

describe('mmu stage 1: access permissions (AP, UXN, PXN, PAN, WXN)', () => {
  // The Arm ARM tables (D8 "Data access permissions", "Instruction execution permissions"),
  // spelled out per AP value for EL1&0: [EL1 read, EL1 write, EL0 read, EL0 write].
  const DATA: Record<number, [boolean, boolean, boolean, boolean]> = {
    0: [true, true, false, false], 1: [true, true, true, true], 2: [true, false, false, false], 3: [true, false, true, false],
  };
  function allowed(ctx: number, ap: number, uxn: boolean, pxn: boolean, wxn: boolean, acc: AccessKind): boolean {
    const [r1, w1, r0, w0] = DATA[ap];
    if (ctx === CTX_E10_0) {
      if (acc === ACC_READ) return r0;
      if (acc === ACC_WRITE) return w0;
      return !uxn && !(wxn && w0);
    }
    const panned = ctx === CTX_E10_1_PAN && r0; // PAN: EL0-accessible data is off limits at EL1
    if (acc === ACC_READ) return r1 && !panned;
    if (acc === ACC_WRITE) return w1 && !panned;
    return !pxn && !w0 && !(wxn && w1); // EL0-writable memory is never executable at EL1
  }
  const e = env();
  const { t0 } = el1(e, 12, 25);
  let n = 0;
  for (const ap of [0, 1, 2, 3]) {
    for (const uxn of [false, true]) {
      for (const pxn of [false, true]) {
        const va = BigInt(0x10000 + n++ * 0x1000);
        t0.set(va, 3, s1Leaf(RAM_BASE, 3, { ap, uxn, pxn }));
        for (const wxn of [false, true]) {
          for (const ctx of [CTX_E10_0, CTX_E10_1, CTX_E10_1_PAN]) {
            it(`AP=${ap} UXN=${+uxn} PXN=${+pxn} WXN=${+wxn} ctx=${['EL0', 'EL1', 'EL1+PAN'][ctx]}`, () => {
              e.regs.sctlrEl1 = SCTLR_M | (wxn ? SCTLR_WXN : 0n);
              for (const acc of [ACC_READ, ACC_WRITE, ACC_FETCH] as AccessKind[]) {
                const o = e.mmu.translateVa(va, ctx, acc);
                const want = allowed(ctx, ap, uxn, pxn, wxn, acc);
                assert.equal(o.ok, want, `access ${['R', 'W', 'X'][acc]}`);
                if (!o.ok) {
                  assert.deepEqual([o.fault.kind, o.fault.level, o.fault.stage], ['permission', 3, 1]);
                  assert.equal(o.fault.write, acc === ACC_WRITE);
                  assert.equal(o.fault.fetch, acc === ACC_FETCH);
                } else {
                  // The perms reported for the TLB agree with the per-access verdicts.
                  for (const [bit, a] of [[1, ACC_READ], [2, ACC_WRITE], [4, ACC_FETCH]] as [number, AccessKind][]) {
                    assert.equal((o.t.perms & bit) !== 0, allowed(ctx, ap, uxn, pxn, wxn, a));
                  }
                }
              }
            });
          }
        }
      }
    }
  }

  it('EL2 and EL3 regimes: AP[2] alone decides writes, bit 54 is XN, PXN and AP[1] are ignored', () => {
    for (const el of [2, 3]) {
      const ee = env();
      const tree = new TableTree(ee.mem, ee.alloc, 12, 39);
      if (el === 2) { ee.regs.ttbr0El2 = BigInt(tree.root); ee.regs.tcrEl2 = tcrEl23({ t0sz: 25, ps: 2 }); ee.regs.sctlrEl2 = SCTLR_M; }
      else { ee.regs.ttbr0El3 = BigInt(tree.root); ee.regs.tcrEl3 = tcrEl23({ t0sz: 25, ps: 2 }); ee.regs.sctlrEl3 = SCTLR_M; }
      const ctx = el === 2 ? CTX_E2 : CTX_E3;
      let i = 0;
      for (const ap of [0, 1, 2, 3]) {
        for (const xn of [false, true]) {
          for (const pxn of [false, true]) {
            const va = BigInt(0x10000 + i++ * 0x1000);
            tree.set(va, 3, s1Leaf(RAM_BASE, 3, { ap, uxn: xn, pxn }));
            assert.ok(ee.mmu.translateVa(va, ctx, ACC_READ).ok);
            assert.equal(ee.mmu.translateVa(va, ctx, ACC_WRITE).ok, ap < 2, `EL${el} AP=${ap} write`);
            assert.equal(ee.mmu.translateVa(va, ctx, ACC_FETCH).ok, !xn, `EL${el} XN=${xn} PXN=${pxn} fetch`);
          }
        }
      }
      // WXN: writable means not executable.
      if (el === 2) ee.regs.sctlrEl2 |= SCTLR_WXN; else ee.regs.sctlrEl3 |= SCTLR_WXN;
      tree.set(0x80000n, 3, s1Leaf(RAM_BASE, 3, { ap: 0 }));
      tree.set(0x81000n, 3, s1Leaf(RAM_BASE, 3, { ap: 2 }));
      assert.equal(ee.mmu.translateVa(0x80000n, ctx, ACC_FETCH).ok, false);
      assert.equal(ee.mmu.translateVa(0x81000n, ctx, ACC_FETCH).ok, true);
    }
  });

  it('Access flag clear: Access flag fault at the leaf level (pages and blocks)', () => {
    const ee = env();
    const { t0 } = el1(ee, 12, 16);
    t0.set(0x1000n, 3, s1Leaf(RAM_BASE, 3, { af: false }));
    t0.set(0x4000_0000n, 2, s1Leaf(RAM_BASE, 2, { af: false }));
    t0.set(0x80_0000_0000n, 1, s1Leaf(RAM_BASE, 1, { af: false }));
    for (const [va, level] of [[0x1000n, 3], [0x4000_0000n, 2], [0x80_0000_0000n, 1]] as [bigint, number][]) {
      // AF=0 faults even for accesses the permissions would deny: it is checked first.
      for (const ctx of [CTX_E10_0, CTX_E10_1]) {
        const f = bad(ee.mmu.translateVa(va, ctx, ACC_WRITE));
        assert.deepEqual([f.kind, f.level, f.stage, f.write], ['access-flag', level, 1, true]);
      }
    }
  });
});

describe('mmu stage 1: hierarchical table attributes', () => {
  it('APTable, UXNTable (XNTable) and PXNTable restrict everything below them', () => {
    const e = env();
    const { t0 } = el1(e, 12, 25);
    const cases: [bigint, bigint][] = [];
    // Each case in its own level 1 entry (1 GiB apart) so each gets its own level 1 table descriptor.
    const mk = (i: number, bits: bigint): bigint => {
      const va = BigInt(i) << 30n;
      t0.set(va, 3, s1Leaf(RAM_BASE, 3, { ap: 1 })); // EL0 RW, EL1 RW; executable at EL0 only
      t0.set(va + 0x1000n, 3, s1Leaf(RAM_BASE, 3, { ap: 0 })); // EL1 RW only; executable at EL1
      t0.orTableDesc(va, 1, bits);
      cases.push([va, bits]);
      return va;
    };
    const plain = mk(0, 0n);
    const apt1 = mk(1, 1n << 61n); // APTable = 01: no EL0 access
    const apt2 = mk(2, 2n << 61n); // APTable = 10: no writes
    const apt3 = mk(3, 3n << 61n);
    const xnt = mk(4, 1n << 60n);
    const pxnt = mk(5, 1n << 59n);
    const can = (va: bigint, ctx: number, acc: AccessKind): boolean => e.mmu.translateVa(va, ctx, acc).ok;
    assert.deepEqual([can(plain, CTX_E10_0, ACC_READ), can(plain, CTX_E10_0, ACC_WRITE), can(plain, CTX_E10_0, ACC_FETCH)], [true, true, true]);
    assert.deepEqual([can(apt1, CTX_E10_0, ACC_READ), can(apt1, CTX_E10_1, ACC_WRITE)], [false, true]);
    // APTable[0] removes EL0 access, so PAN no longer blocks EL1 and the page is no longer EL0-writable.
    assert.deepEqual([can(apt1, CTX_E10_1_PAN, ACC_READ), can(plain, CTX_E10_1_PAN, ACC_READ)], [true, false]);
    assert.deepEqual([can(apt2, CTX_E10_0, ACC_READ), can(apt2, CTX_E10_0, ACC_WRITE), can(apt2, CTX_E10_1, ACC_WRITE)], [true, false, false]);
    assert.deepEqual([can(apt3, CTX_E10_0, ACC_READ), can(apt3, CTX_E10_1, ACC_READ), can(apt3, CTX_E10_1, ACC_WRITE)], [false, true, false]);
    assert.deepEqual([can(xnt, CTX_E10_0, ACC_FETCH), can(xnt + 0x1000n, CTX_E10_1, ACC_FETCH)], [false, true]);
    assert.deepEqual([can(pxnt, CTX_E10_0, ACC_FETCH), can(pxnt + 0x1000n, CTX_E10_1, ACC_FETCH)], [true, false]);
    assert.equal(can(plain + 0x1000n, CTX_E10_1, ACC_FETCH), true);
    assert.equal(cases.length, 6);
  });

  it('attributes accumulate across levels (an APTable at level 1 and a PXNTable at level 2)', () => {
    const e = env();
    const { t0 } = el1(e, 12, 25);
    const va = 0x4020_1000n;
    t0.set(va, 3, s1Leaf(RAM_BASE, 3, { ap: 0 }));
    t0.orTableDesc(va, 1, 2n << 61n);
    t0.orTableDesc(va, 2, 1n << 59n);
    assert.equal(e.mmu.translateVa(va, CTX_E10_1, ACC_READ).ok, true);
    assert.equal(bad(e.mmu.translateVa(va, CTX_E10_1, ACC_WRITE)).level, 3);
    assert.equal(e.mmu.translateVa(va, CTX_E10_1, ACC_FETCH).ok, false);
  });

  it('EL2 regime: XNTable applies, APTable[0] is ignored', () => {
    const e = env();
    const tree = new TableTree(e.mem, e.alloc, 12, 39);
    e.regs.ttbr0El2 = BigInt(tree.root); e.regs.tcrEl2 = tcrEl23({ t0sz: 25, ps: 2 }); e.regs.sctlrEl2 = SCTLR_M;
    tree.set(0x1000n, 3, s1Leaf(RAM_BASE, 3));
    tree.orTableDesc(0x1000n, 1, (1n << 61n) | (1n << 60n));
    assert.equal(e.mmu.translateVa(0x1000n, CTX_E2, ACC_WRITE).ok, true);
    assert.equal(e.mmu.translateVa(0x1000n, CTX_E2, ACC_FETCH).ok, false);
  });

  it('NS and NSTable decide the output PA space in Secure state only', () => {
    const e = env();
    const { t0 } = el1(e, 12, 25);
    t0.set(0x1000n, 3, s1Leaf(RAM_BASE, 3));
    t0.set(0x2000n, 3, s1Leaf(RAM_BASE, 3, { ns: true }));
    t0.set(0x4000_1000n, 3, s1Leaf(RAM_BASE, 3));
    t0.orTableDesc(0x4000_1000n, 1, 1n << 63n);
    e.regs.scrEl3 = 0n; // Secure EL1&0
    assert.deepEqual([0x1000n, 0x2000n, 0x4000_1000n].map((va) => ok(e.mmu.translateVa(va, CTX_E10_1, ACC_READ)).ns), [false, true, true]);
    // SCR_EL3.SIF: Secure fetches from Non-secure memory are not permitted.
    e.regs.scrEl3 = 1n << 9n;
    assert.deepEqual([0x1000n, 0x2000n].map((va) => e.mmu.translateVa(va, CTX_E10_1, ACC_FETCH).ok), [true, false]);
    e.regs.scrEl3 = 1n; // Non-secure: always NS
    assert.deepEqual([0x1000n, 0x2000n].map((va) => ok(e.mmu.translateVa(va, CTX_E10_1, ACC_READ)).ns), [true, true]);
    assert.equal(ok(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ)).vmid, 0);
  });
});

describe('mmu stage 1: attributes, ASIDs, contiguous hint', () => {
  it('records the MAIR attribute, SH, nG and the ASID (TCR.A1, TCR.AS)', () => {
    const e = env();
    const { t0, t1 } = el1(e, 12, 25);
    t0.set(0x1000n, 3, s1Leaf(RAM_BASE, 3, { attrIndx: 4, sh: 2, ng: true }));
    t0.set(0x2000n, 3, s1Leaf(RAM_BASE, 3, { attrIndx: 1, sh: 3 }));
    const hiVa = 0xffff_ff80_0000_1000n;
    t1.set(hiVa, 3, s1Leaf(RAM_BASE, 3, { attrIndx: 2, ng: true }));
    e.regs.ttbr0El1 |= 0x12_34n << 48n;
    e.regs.ttbr1El1 |= 0x56_78n << 48n;
    const a = ok(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([a.attr, a.sh, a.global, a.asid], [0xbb, 2, false, 0x34]);
    const b = ok(e.mmu.translateVa(0x2000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([b.attr, b.sh, b.global], [0xff, 3, true]);
    // A1=1: the ASID comes from TTBR1 whichever half is translated; AS=1: 16 bits.
    e.regs.tcrEl1 = tcrEl1({ t0sz: 25, t1sz: 25, tg1: 2, ips: 2, a1: true, as16: true });
    assert.equal(ok(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ)).asid, 0x5678);
    assert.equal(ok(e.mmu.translateVa(hiVa, CTX_E10_1, ACC_READ)).attr, 0x44);
    assert.equal(e.mmu.asidFor(CTX_E10_0), 0x5678);
    assert.equal(e.mmu.asidFor(CTX_E2), 0);
  });

  it('the contiguous hint is recorded and widens the mapping span used by TLBI', () => {
    for (const [grain, level, extra] of [[12, 3, 4], [12, 2, 4], [14, 3, 7], [14, 2, 5], [16, 3, 5], [16, 2, 5]]) {
      const e = env();
      const { t0 } = el1(e, grain, 25);
      const shift = grain + (grain - 3) * (3 - level);
      const va = 1n << BigInt(shift + extra);
      t0.set(va, level, s1Leaf(RAM_BASE - (RAM_BASE % 2 ** shift), level, { contiguous: true }));
      const t = ok(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
      assert.deepEqual([t.contiguous, t.s1Shift], [true, shift + extra], `${grain} L${level}`);
    }
  });

  it('Device memory: unaligned data accesses take an Alignment fault, fetches and Normal memory do not', () => {
    const e = env();
    const { t0 } = el1(e, 12, 25);
    t0.set(0x1000n, 3, s1Leaf(0x0900_0000, 3, { attrIndx: 3 })); // Device-nGnRE
    t0.set(0x2000n, 3, s1Leaf(RAM_BASE, 3, { attrIndx: 1 }));
    const f = bad(e.mmu.translate({ lo: 0x1001, hi: 0, ctx: CTX_E10_1, access: ACC_READ, unaligned: true }));
    assert.deepEqual([f.kind, f.stage], ['alignment', 1]);
    assert.ok(e.mmu.translate({ lo: 0x1000, hi: 0, ctx: CTX_E10_1, access: ACC_READ }).ok);
    assert.ok(e.mmu.translate({ lo: 0x2001, hi: 0, ctx: CTX_E10_1, access: ACC_WRITE, unaligned: true }).ok);
    // Alignment is checked before permissions: an EL0 unaligned access to an EL1-only Device page.
    assert.equal(bad(e.mmu.translate({ lo: 0x1001, hi: 0, ctx: CTX_E10_0, access: ACC_READ, unaligned: true })).kind, 'alignment');
  });
});

describe('mmu stage 1 disabled, other regimes', () => {
  it('SCTLR.M=0: flat; Device-nGnRnE data, Normal fetches per SCTLR.I; Address size fault above PAMax', () => {
    const e = env();
    const d = ok(e.mmu.translateVa(0x4000_1234n, CTX_E10_1, ACC_WRITE));
    assert.deepEqual([d.pa, d.attr, d.perms, d.level, d.global], [0x4000_1234, 0x00, 7, -1, true]);
    assert.equal(ok(e.mmu.translateVa(0x4000_1234n, CTX_E10_0, ACC_FETCH)).attr, 0x44);
    e.regs.sctlrEl1 = SCTLR_I;
    assert.equal(ok(e.mmu.translateVa(0x4000_1234n, CTX_E10_0, ACC_FETCH)).attr, 0xee);
    assert.equal(ok(e.mmu.translateVa((1n << 40n) - 1n, CTX_E10_1, ACC_READ)).pa, 2 ** 40 - 1);
    const f = bad(e.mmu.translateVa(1n << 40n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.level], ['address-size', 0]);
    // Unaligned data accesses fault: the memory is Device.
    assert.equal(bad(e.mmu.translateVa(0x4000_1001n, CTX_E10_1, ACC_READ, { unaligned: true })).kind, 'alignment');
    // TBI still applies with the MMU off.
    e.regs.tcrEl1 = tcrEl1({ tbi0: true });
    assert.equal(ok(e.mmu.translateVa(0x7700_0000_4000_0000n, CTX_E10_1, ACC_READ)).pa, 0x4000_0000);
  });

  it('EL2 regime uses TTBR0_EL2/TCR_EL2 (PS at [18:16], TBI at 20); EL3 its own registers', () => {
    const e = env();
    const t2 = new TableTree(e.mem, e.alloc, 16, 42);
    const t3 = new TableTree(e.mem, e.alloc, 14, 36);
    e.regs.ttbr0El2 = BigInt(t2.root); e.regs.tcrEl2 = tcrEl23({ t0sz: 22, tg0: 1, ps: 2, tbi: true }); e.regs.sctlrEl2 = SCTLR_M;
    e.regs.ttbr0El3 = BigInt(t3.root); e.regs.tcrEl3 = tcrEl23({ t0sz: 28, tg0: 2, ps: 2 }); e.regs.sctlrEl3 = SCTLR_M;
    t2.set(0x30000n, 3, s1Leaf(RAM_BASE + 0x50000, 3));
    t3.set(0x8000n, 3, s1Leaf(RAM_BASE + 0xc000, 3));
    assert.equal(ok(e.mmu.translateVa(0xab00_0000_0003_0010n, CTX_E2, ACC_READ)).pa, RAM_BASE + 0x50010);
    assert.equal(ok(e.mmu.translateVa(0x8010n, CTX_E3, ACC_READ)).pa, RAM_BASE + 0xc010);
    assert.equal(bad(e.mmu.translateVa(0x8010n, CTX_E2, ACC_READ)).kind, 'translation');
    // EL2 and EL3 ignore TTBR1 space: any VA with bits above the range is a Translation fault.
    assert.equal(bad(e.mmu.translateVa(0xffff_ffff_fff0_8000n, CTX_E3, ACC_READ)).level, 0);
    // EL3 regime is Secure: NS clear unless the descriptor says NS.
    assert.equal(ok(e.mmu.translateVa(0x8010n, CTX_E3, ACC_READ)).ns, false);
    // The EL2 regime is unaffected by SCTLR_EL1 and HCR_EL2.
    e.regs.hcrEl2 = 1n;
    assert.equal(ok(e.mmu.translateVa(0x30000n, CTX_E2, ACC_READ)).stage2, false);
  });

  it('HCR_EL2.TGE=1 disables the EL1&0 stage 1 (flat)', () => {
    const e = env();
    const { t0 } = el1(e, 12, 25);
    t0.set(0x1000n, 3, s1Leaf(RAM_BASE, 3, { ap: 1 }));
    assert.equal(ok(e.mmu.translateVa(0x1000n, CTX_E10_0, ACC_READ)).pa, RAM_BASE);
    e.regs.hcrEl2 = 1n << 27n;
    assert.equal(ok(e.mmu.translateVa(0x1000n, CTX_E10_0, ACC_READ)).pa, 0x1000);
    e.regs.scrEl3 = 0n; // but HCR_EL2 has no effect in Secure state
    assert.equal(ok(e.mmu.translateVa(0x1000n, CTX_E10_0, ACC_READ)).pa, RAM_BASE);
  });

  it('FEAT_VHE: with E2H=1 the EL2&0 regime has two ranges and EL0 uses it when TGE=1', () => {
    const e = env({ vhe: true });
    const t0 = new TableTree(e.mem, e.alloc, 12, 39);
    const t1 = new TableTree(e.mem, e.alloc, 12, 39);
    e.regs.ttbr0El2 = BigInt(t0.root) | (7n << 48n); e.regs.ttbr1El2 = BigInt(t1.root);
    e.regs.tcrEl2 = tcrEl1({ t0sz: 25, t1sz: 25, ips: 2 });
    e.regs.sctlrEl2 = SCTLR_M;
    e.regs.hcrEl2 = (1n << 34n) | (1n << 27n);
    t0.set(0x1000n, 3, s1Leaf(RAM_BASE + 0x1000, 3, { ap: 1, ng: true }));
    t1.set(0xffff_ff80_0000_2000n, 3, s1Leaf(RAM_BASE + 0x2000, 3));
    assert.equal(e.mmu.contextFor(2, false), CTX_E20_2);
    assert.equal(e.mmu.contextFor(0, false), CTX_E20_0);
    assert.equal(e.mmu.unprivilegedContextFor(2, false), CTX_E20_0);
    const u = ok(e.mmu.translateVa(0x1000n, CTX_E20_0, ACC_WRITE));
    assert.deepEqual([u.pa, u.asid, u.global], [RAM_BASE + 0x1000, 7, false]);
    assert.equal(ok(e.mmu.translateVa(0xffff_ff80_0000_2000n, CTX_E20_2, ACC_READ)).pa, RAM_BASE + 0x2000);
    assert.equal(e.mmu.translateVa(0xffff_ff80_0000_2000n, CTX_E20_0, ACC_READ).ok, false);
    // Without FEAT_VHE, E2H is ignored.
    const plain = new Mmu(e.mem, e.regs, { paBits: 40, haveEl2: true, haveEl3: true, vhe: false });
    assert.equal(plain.contextFor(2, false), CTX_E2);
    assert.equal(plain.contextFor(0, false), CTX_E10_0);
  });

  it('context selection for EL/PAN and unprivileged accesses', () => {
    const e = env();
    assert.deepEqual([0, 1, 2, 3].map((el) => e.mmu.contextFor(el, false)), [CTX_E10_0, CTX_E10_1, CTX_E2, CTX_E3]);
    assert.equal(e.mmu.contextFor(1, true), CTX_E10_1_PAN);
    assert.equal(e.mmu.unprivilegedContextFor(1, true), CTX_E10_0);
    assert.equal(e.mmu.unprivilegedContextFor(3, false), CTX_E3);
  });
});
