import { strict as assert } from 'node:assert';
import {
  ACC_FETCH, ACC_READ, ACC_WRITE, CTX_E10_0, CTX_E10_1, Mmu, hpfar, fsc,
  type AccessKind, type MmuConfig, type MmuFault, type TranslateOutcome, type Translation,
} from '../../emulator/mmu';
import { MAIR, RAM_BASE, TableAlloc, TableTree, newMem, s1Leaf, s2Leaf, tcrEl1, vtcr, zeroRegs, type MutableRegs } from './table-builder';
import type { PhysicalMemory } from '../../emulator/cpu/physical-memory';

const S2_TABLES = RAM_BASE + (24 << 20);
const S1_TABLES = RAM_BASE + (32 << 20);
/** Stage 1 tables live at IPA = PA + S1_IPA_OFFSET; stage 2 maps that window back with 2 MiB blocks. */
const S1_IPA_OFFSET = 0x1_0000_0000 - RAM_BASE;
const HCR_VM = 1n, HCR_PTW = 1n << 2n, HCR_DC = 1n << 12n;

interface Env { mem: PhysicalMemory; regs: MutableRegs; mmu: Mmu; s2: TableTree; alloc: TableAlloc }

/** Stage 2 with a 4 KiB granule, 40-bit IPA (T0SZ=24), starting at level 1 (two concatenated tables). */
function env(cfg: Partial<MmuConfig> = {}, s2geo = { grain: 12, t0sz: 24, sl0: 1, tg0: 0, start: 1 }): Env {
  const mem = newMem();
  const regs = zeroRegs();
  regs.mairEl1 = MAIR;
  const mmu = new Mmu(mem, regs, { paBits: 40, haveEl2: true, haveEl3: true, vhe: false, ...cfg });
  const s2 = new TableTree(mem, new TableAlloc(mem, S2_TABLES), s2geo.grain, 64 - s2geo.t0sz, s2geo.start);
  regs.vtcrEl2 = vtcr({ t0sz: s2geo.t0sz, sl0: s2geo.sl0, tg0: s2geo.tg0, ps: 2 });
  regs.vttbrEl2 = BigInt(s2.root) | (0x2an << 48n);
  regs.hcrEl2 = HCR_VM;
  return { mem, regs, mmu, s2, alloc: new TableAlloc(mem, S1_TABLES) };
}
/** Maps the stage 1 table window (IPA S1_TABLES + offset) in stage 2, with `attrs`. */
function mapS1Window(e: Env, attrs: Parameters<typeof s2Leaf>[2] = {}): void {
  for (let off = 0; off < 8 << 20; off += 2 << 20) e.s2.set(BigInt(S1_TABLES + S1_IPA_OFFSET + off), 2, s2Leaf(S1_TABLES + off, 2, attrs));
}
function stage1(e: Env, extra: Parameters<typeof tcrEl1>[0] = {}): TableTree {
  const t = new TableTree(e.mem, e.alloc, 12, 39, undefined, S1_IPA_OFFSET);
  e.regs.ttbr0El1 = BigInt(t.root + S1_IPA_OFFSET);
  e.regs.tcrEl1 = tcrEl1({ t0sz: 25, ips: 2, ...extra });
  e.regs.sctlrEl1 = 1n;
  return t;
}
function ok(o: TranslateOutcome): Translation {
  if (!o.ok) assert.fail(`unexpected fault ${JSON.stringify(o.fault, (_k, v) => typeof v === 'bigint' ? `0x${v.toString(16)}` : v)}`);
  return o.t;
}
function bad(o: TranslateOutcome): MmuFault {
  if (o.ok) assert.fail(`expected a fault, got PA 0x${o.t.pa.toString(16)}`);
  return o.fault;
}

describe('mmu stage 2 alone (stage 1 off)', () => {
  it('translates IPA = VA through VTTBR_EL2 and tags the VMID', () => {
    const e = env();
    e.s2.set(0x8000_1000n, 3, s2Leaf(RAM_BASE + 0x5000, 3));
    const t = ok(e.mmu.translateVa(0x8000_1234n, CTX_E10_1, ACC_READ));
    assert.deepEqual([t.pa, t.ipa, t.stage2, t.vmid, t.s2Shift, t.s2MemAttr], [RAM_BASE + 0x5234, 0x8000_1234, true, 0x2a, 12, 0xf]);
    // Stage 1 off: data is Device-nGnRnE whatever stage 2 says; fetches Normal NC (SCTLR.I=0).
    assert.equal(t.attr, 0x00);
    assert.equal(ok(e.mmu.translateVa(0x8000_1234n, CTX_E10_1, ACC_FETCH)).attr, 0x44);
    assert.equal(e.mmu.vmidFor(CTX_E10_0), 0x2a);
  });

  it('S2AP and XN for every access; faults carry stage 2, level and IPA', () => {
    const e = env();
    let i = 0;
    for (const s2ap of [0, 1, 2, 3]) {
      for (const xn of [false, true]) {
        const ipa = 0x8000_0000 + 0x1000 * i++;
        e.s2.set(BigInt(ipa), 3, s2Leaf(RAM_BASE, 3, { s2ap, xn }));
        for (const [acc, want] of [[ACC_READ, (s2ap & 1) !== 0], [ACC_WRITE, (s2ap & 2) !== 0], [ACC_FETCH, !xn]] as [AccessKind, boolean][]) {
          for (const ctx of [CTX_E10_0, CTX_E10_1]) {
            const o = e.mmu.translateVa(BigInt(ipa + 8), ctx, acc);
            assert.equal(o.ok, want, `S2AP=${s2ap} XN=${xn} acc=${acc}`);
            if (!o.ok) {
              assert.deepEqual([o.fault.kind, o.fault.stage, o.fault.level, o.fault.s1ptw, o.fault.ipa], ['permission', 2, 3, false, BigInt(ipa + 8)]);
              assert.equal(hpfar(o.fault), BigInt(Math.floor(ipa / 4096)) << 4n);
            }
          }
        }
      }
    }
  });

  it('translation faults at each stage 2 level, Access flag, address size', () => {
    const e = env();
    const ipa = 0x80_4020_3000n; // bit 39 set: the second concatenated level 1 table
    let f = bad(e.mmu.translateVa(ipa, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.level, f.ipa], ['translation', 2, 1, ipa]);
    e.s2.slot(ipa, 2);
    assert.deepEqual([bad(e.mmu.translateVa(ipa, CTX_E10_1, ACC_READ)).level], [2]);
    e.s2.slot(ipa, 3);
    assert.deepEqual([bad(e.mmu.translateVa(ipa, CTX_E10_1, ACC_READ)).level], [3]);
    e.s2.set(ipa, 3, s2Leaf(RAM_BASE, 3, { af: false }));
    f = bad(e.mmu.translateVa(ipa, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.level], ['access-flag', 2, 3]);
    e.s2.set(ipa, 3, s2Leaf(2 ** 40, 3)); // VTCR.PS = 40 bits
    f = bad(e.mmu.translateVa(ipa, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.level], ['address-size', 2, 3]);
    e.s2.set(ipa, 3, s2Leaf(RAM_BASE, 3));
    assert.equal(ok(e.mmu.translateVa(ipa + 0x10n, CTX_E10_1, ACC_READ)).pa, RAM_BASE + 0x10);
    // Blocks at level 1 and 2.
    e.s2.set(0x40_0000_0000n, 1, s2Leaf(0x40000000, 1));
    assert.equal(ok(e.mmu.translateVa(0x40_0012_3456n, CTX_E10_1, ACC_READ)).pa, 0x40123456);
    // VTTBR beyond PS.
    e.regs.vttbrEl2 = 1n << 41n;
    f = bad(e.mmu.translateVa(ipa, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.level], ['address-size', 2, 0]);
  });

  it('an IPA beyond the stage 2 input size is a level 0 stage 2 Translation fault', () => {
    const e = env();
    // With stage 1 off, a VA at 2^40 already exceeds PAMax (40): a stage 1 Address size fault.
    const f = bad(e.mmu.translateVa(1n << 40n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage], ['address-size', 1]);
    e.regs.vtcrEl2 = vtcr({ t0sz: 25, sl0: 1, ps: 2 }); // 39-bit IPA, level 1 start, one table
    const g = bad(e.mmu.translateVa(1n << 39n, CTX_E10_1, ACC_READ));
    assert.deepEqual([g.kind, g.stage, g.level, g.ipa], ['translation', 2, 0, 1n << 39n]);
  });

  it('VTCR_EL2.SL0 / T0SZ validity (AArch64.S2InvalidSL, S2InconsistentSL) and concatenated tables', () => {
    // [grain, tg0, t0sz, sl0, paBits, valid start level or -1]
    const cases: [number, number, number, number, number, number][] = [
      [12, 0, 24, 1, 40, 1], // 40-bit IPA from level 1: 2 concatenated tables
      [12, 0, 28, 1, 40, 1], // 36-bit IPA from level 1: one table, 64 entries
      [12, 0, 22, 1, 48, 1], // 42 bits from level 1: 8 concatenated tables
      [12, 0, 20, 1, 40, 1], // 44 bits from level 1: 32 tables > 16 -> inconsistent
      [12, 0, 16, 2, 40, 0], // level 0 start needs PAMax >= 44
      [12, 0, 16, 2, 48, 0],
      [12, 0, 24, 3, 48, 0], // SL0=3 reserved without FEAT_TTST
      [12, 0, 34, 0, 40, 2], // 30-bit IPA from level 2
      [12, 0, 24, 0, 40, 2], // 40 bits from level 2: 2^11 tables -> inconsistent
      [14, 2, 28, 1, 40, 2], // 16 KiB: 36 bits from level 2
      [14, 2, 22, 1, 40, 2], // 42 bits from level 2: 64 tables -> inconsistent
      [14, 2, 22, 2, 40, 1], // level 1 start needs PAMax >= 42
      [14, 2, 22, 2, 48, 1],
      [16, 1, 22, 1, 48, 2], // 64 KiB: 42 bits from level 2
      [16, 1, 16, 2, 48, 1], // 48 bits from level 1
      [16, 1, 16, 2, 40, 1], // needs PAMax >= 44
      [16, 1, 22, 3, 48, 1], // SL0=3 reserved
    ];
    const expectValid = [true, true, true, false, false, true, false, true, false, true, false, false, true, true, true, false, false];
    cases.forEach(([grain, tg0, t0sz, sl0, paBits, start], i) => {
      const valid = expectValid[i];
      const e = env({ paBits }, { grain, t0sz, sl0, tg0, start: valid ? start : 1 });
      const inBits = 64 - t0sz;
      const ipa = (1n << BigInt(inBits)) - BigInt(2 ** grain) + 0x40n; // top page: the last concatenated table
      if (valid) e.s2.set(ipa - 0x40n, 3, s2Leaf(RAM_BASE + 3 * 2 ** grain, 3));
      if (valid) {
        assert.equal(ok(e.mmu.translateVa(ipa, CTX_E10_1, ACC_READ)).pa, RAM_BASE + 3 * 2 ** grain + 0x40, `case ${i}`);
      } else {
        const f = bad(e.mmu.translateVa(0x1040n, CTX_E10_1, ACC_READ));
        assert.deepEqual([f.kind, f.stage, f.level, f.ipa], ['translation', 2, 0, 0x1040n], `case ${i}`);
      }
    });
  });
});

describe('mmu stage 1 + stage 2', () => {
  it('stage 1 tables at IPAs, output through stage 2; permissions and attributes combine', () => {
    const e = env();
    mapS1Window(e);
    const t = stage1(e);
    t.set(0x1000n, 3, s1Leaf(0x9000_0000, 3, { attrIndx: 1, sh: 3, ap: 1 }));
    e.s2.set(0x9000_0000n, 3, s2Leaf(RAM_BASE + 0x7000, 3, { s2ap: 1, sh: 2 }));
    const r = ok(e.mmu.translateVa(0x1008n, CTX_E10_0, ACC_READ));
    assert.deepEqual([r.pa, r.ipa, r.attr, r.sh, r.s1Attr, r.s1Sh], [RAM_BASE + 0x7008, 0x9000_0008, 0xff, 2, 0xff, 3]);
    // Stage 1 allows the write, stage 2 does not: a stage 2 Permission fault with the IPA.
    const f = bad(e.mmu.translateVa(0x1008n, CTX_E10_0, ACC_WRITE));
    assert.deepEqual([f.kind, f.stage, f.level, f.ipa, f.s1ptw], ['permission', 2, 3, 0x9000_0008n, false]);
    assert.equal(r.perms, 1 | 4); // R (both), X (EL0: UXN=0, S2 XN=0); no W (S2AP)
    // Stage 1 denies too: the stage 1 fault wins (stage 1 is checked first).
    t.set(0x2000n, 3, s1Leaf(0x9000_0000, 3, { ap: 3 }));
    assert.deepEqual([bad(e.mmu.translateVa(0x2000n, CTX_E10_0, ACC_WRITE)).stage], [1]);
    // Stage 1 fault on an unmapped VA: stage 1, no IPA.
    const g = bad(e.mmu.translateVa(0x5000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([g.kind, g.stage, g.level, g.ipa], ['translation', 1, 3, undefined]);
  });

  it('memory type and shareability combination (FWB=0)', () => {
    const e = env();
    mapS1Window(e);
    const t = stage1(e);
    // MAIR: 0 Dev-nGnRnE, 1 WB, 2 NC, 3 Dev-nGnRE, 4 WT
    const cases: [number, number, number, number, number, number][] = [
      // s1 AttrIndx, s1 SH, S2 MemAttr, S2 SH, combined attr, combined SH
      [1, 3, 0xf, 3, 0xff, 3], // WB + WB
      [1, 3, 0x1, 3, 0x04, 2], // WB + Device-nGnRE -> Device, Outer Shareable
      [3, 0, 0x0, 0, 0x00, 2], // Dev-nGnRE + Dev-nGnRnE -> nGnRnE
      [3, 0, 0x3, 0, 0x04, 2], // Dev-nGnRE + GRE -> nGnRE
      [4, 3, 0xf, 3, 0xbb, 3], // WT + WB -> WT
      [1, 0, 0xa, 3, 0xbb, 3], // WB + WT -> WT with stage 1's allocation hints
      [1, 3, 0x5, 3, 0x44, 2], // WB + NC -> NC, Outer Shareable
      [2, 3, 0xf, 3, 0x44, 2], // NC + WB -> NC
      [1, 0, 0xf, 0, 0xff, 0], // NSH + NSH
      [1, 2, 0xf, 3, 0xff, 2], // OSH + ISH -> OSH
      [1, 0, 0xf, 3, 0xff, 3], // NSH + ISH -> ISH
    ];
    cases.forEach(([ai, sh1, ma, sh2, attr, sh], i) => {
      const va = BigInt(0x10000 + i * 0x1000);
      const ipa = 0x9000_0000 + i * 0x1000;
      t.set(va, 3, s1Leaf(ipa, 3, { attrIndx: ai, sh: sh1 }));
      e.s2.set(BigInt(ipa), 3, s2Leaf(RAM_BASE, 3, { memAttr: ma, sh: sh2 }));
      const r = ok(e.mmu.translateVa(va, CTX_E10_1, ACC_READ));
      assert.deepEqual([r.attr, r.sh], [attr, sh], `case ${i}`);
    });
    // HCR_EL2.CD makes stage 2 Normal memory Non-cacheable for data.
    e.regs.hcrEl2 = HCR_VM | (1n << 32n);
    assert.equal(ok(e.mmu.translateVa(0x10000n, CTX_E10_1, ACC_READ)).attr, 0x44);
  });

  it('a stage 2 fault on a stage 1 descriptor read is a stage 2 fault with S1PTW and the descriptor IPA', () => {
    const e = env();
    const t = stage1(e);
    t.set(0x1000n, 3, s1Leaf(0x9000_0000, 3));
    // Nothing maps the stage 1 root's IPA: the fault is on the level 1 descriptor read.
    const rootIpa = BigInt(t.root + S1_IPA_OFFSET);
    let f = bad(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_WRITE));
    assert.deepEqual([f.kind, f.stage, f.s1ptw, f.ipa, f.write, f.level], ['translation', 2, true, rootIpa, true, 1]);
    assert.equal(fsc(f), 0b000101);
    // A fetch's S1PTW fault stays a fetch fault (Instruction Abort with S1PTW).
    assert.equal(bad(e.mmu.translateVa(0x1000n, CTX_E10_0, ACC_FETCH)).fetch, true);
    // Map the window read-only: walks read, so the write translates as far as stage 2 of the output.
    mapS1Window(e, { s2ap: 1 });
    f = bad(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_WRITE));
    assert.deepEqual([f.kind, f.stage, f.s1ptw, f.ipa], ['translation', 2, false, 0x9000_0000n]);
    // Window without read permission: Permission fault on the walk.
    mapS1Window(e, { s2ap: 2 });
    f = bad(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.s1ptw, f.level, f.ipa], ['permission', 2, true, 2, rootIpa]);
    // A walk access with Access flag 0 at stage 2.
    mapS1Window(e, { af: false });
    f = bad(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.s1ptw], ['access-flag', 2, true]);
  });

  it('HCR_EL2.PTW: a stage 1 walk into stage 2 Device memory is a stage 2 Permission fault', () => {
    const e = env();
    mapS1Window(e, { memAttr: 0x1 }); // Device-nGnRE
    const t = stage1(e);
    t.set(0x1000n, 3, s1Leaf(0x9000_0000, 3));
    e.s2.set(0x9000_0000n, 3, s2Leaf(RAM_BASE, 3));
    assert.equal(ok(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ)).pa, RAM_BASE);
    e.regs.hcrEl2 = HCR_VM | HCR_PTW;
    const f = bad(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.s1ptw, f.ipa], ['permission', 2, true, BigInt(t.root + S1_IPA_OFFSET)]);
    // TGE=1 makes PTW read as 0 (and disables stage 1).
    e.regs.hcrEl2 = HCR_VM | HCR_PTW | (1n << 27n);
    assert.equal(e.mmu.hcrEffective() & 4, 0);
  });

  it('Device alignment: stage 2 Device type gives a stage 2 Alignment fault', () => {
    const e = env();
    mapS1Window(e);
    const t = stage1(e);
    t.set(0x1000n, 3, s1Leaf(0x9000_0000, 3, { attrIndx: 1 }));
    e.s2.set(0x9000_0000n, 3, s2Leaf(0x0900_0000, 3, { memAttr: 0 }));
    const f = bad(e.mmu.translateVa(0x1003n, CTX_E10_1, ACC_READ, { unaligned: true }));
    assert.deepEqual([f.kind, f.stage, f.ipa], ['alignment', 2, 0x9000_0003n]);
    assert.equal(fsc(f), 0x21);
  });

  it('AT S1E1x (stage1Only): the IPA and stage 1 attributes, stage 1 walk still through stage 2', () => {
    const e = env();
    const t = stage1(e);
    t.set(0x1000n, 3, s1Leaf(0x9000_0000, 3, { attrIndx: 4 }));
    const f = bad(e.mmu.translateVa(0x1000n, CTX_E10_1, ACC_READ, { stage1Only: true }));
    assert.deepEqual([f.stage, f.s1ptw], [2, true]);
    mapS1Window(e);
    const r = ok(e.mmu.translateVa(0x1010n, CTX_E10_1, ACC_READ, { stage1Only: true }));
    assert.deepEqual([r.pa, r.attr, r.stage2], [0x9000_0010, 0xbb, false]);
  });

  it('HCR_EL2.DC: stage 1 off with Normal WB attributes, stage 2 on even with VM=0', () => {
    const e = env();
    e.regs.hcrEl2 = HCR_DC;
    e.regs.sctlrEl1 = 1n; // ignored: DC disables stage 1
    e.s2.set(0x8000_0000n, 3, s2Leaf(RAM_BASE + 0x2000, 3, { memAttr: 0xf, sh: 3 }));
    const r = ok(e.mmu.translateVa(0x8000_0010n, CTX_E10_1, ACC_READ));
    assert.deepEqual([r.pa, r.attr, r.sh], [RAM_BASE + 0x2010, 0xff, 3]);
  });

  it('Secure EL1&0 never uses stage 2', () => {
    const e = env();
    e.regs.scrEl3 = 0n;
    const r = ok(e.mmu.translateVa(0x8000_0010n, CTX_E10_1, ACC_READ));
    assert.deepEqual([r.pa, r.stage2, r.vmid], [0x8000_0010, false, -1]);
    // Without EL2, no stage 2 and VMID 0.
    const m = new Mmu(e.mem, { ...e.regs, scrEl3: 1n }, { paBits: 40, haveEl2: false, haveEl3: true, vhe: false });
    assert.deepEqual([ok(m.translateVa(0x8000_0010n, CTX_E10_1, ACC_READ)).stage2, m.vmidFor(CTX_E10_1)], [false, 0]);
  });

  it('a stage 2 walk into unmapped PA space is an External abort on the stage 2 walk', () => {
    const e = env();
    e.regs.vttbrEl2 = 0x2000n;
    const f = bad(e.mmu.translateVa(0x8000_0000n, CTX_E10_1, ACC_READ));
    assert.deepEqual([f.kind, f.stage, f.level], ['external-walk', 2, 1]);
  });
});
