import { strict as assert } from 'node:assert';
import { ACC_READ, ACC_WRITE, CTX_E10_1, Mmu, atFaultIsException, fsc, hpfar, parEl1, type MmuFault, type TranslateOutcome } from '../../emulator/mmu';
import { MAIR, RAM_BASE, TableAlloc, TableTree, newMem, s1Leaf, s2Leaf, tcrEl1, vtcr, zeroRegs } from './table-builder';

function fault(p: Partial<MmuFault>): MmuFault {
  return { kind: 'translation', stage: 1, level: 0, s1ptw: false, write: false, fetch: false, va: 0n, ...p };
}

describe('mmu fault status codes (ESR_ELx DFSC/IFSC)', () => {
  it('encodes kind and level as the Arm ARM table', () => {
    const want: Record<string, number[]> = {
      'address-size': [0x00, 0x01, 0x02, 0x03],
      translation: [0x04, 0x05, 0x06, 0x07],
      'access-flag': [0x08, 0x09, 0x0a, 0x0b],
      permission: [0x0c, 0x0d, 0x0e, 0x0f],
      'external-walk': [0x14, 0x15, 0x16, 0x17],
    };
    for (const [kind, codes] of Object.entries(want)) {
      codes.forEach((c, level) => assert.equal(fsc(fault({ kind: kind as MmuFault['kind'], level })), c, `${kind} L${level}`));
    }
    assert.equal(fsc(fault({ kind: 'alignment', level: 0 })), 0x21);
  });

  it('HPFAR_EL2 holds IPA[47:12] in bits [39:4]', () => {
    assert.equal(hpfar(fault({ stage: 2, ipa: 0x0000_8765_4321_0fffn })), 0x8765_4321_0n << 4n);
    assert.equal(hpfar(fault({ stage: 2, ipa: 0xffff_ffff_ffff_f000n })), 0xf_ffff_ffffn << 4n);
    assert.equal(hpfar(fault({})), 0n);
  });

  it('AT faults reported as exceptions rather than in PAR', () => {
    const s1ptw = fault({ stage: 2, s1ptw: true });
    assert.equal(atFaultIsException(s1ptw, 1, true), true); // AT S1E1R at EL1
    assert.equal(atFaultIsException(s1ptw, 2, true), false); // AT S1E1R at EL2: PAR
    assert.equal(atFaultIsException(s1ptw, 2, false), false); // AT S12E1R: PAR
    assert.equal(atFaultIsException(fault({ kind: 'external-walk' }), 2, false), true);
    assert.equal(atFaultIsException(fault({ kind: 'permission', level: 3 }), 1, true), false);
  });
});

describe('mmu PAR_EL1', () => {
  const ok = (p: Partial<Extract<TranslateOutcome, { ok: true }>['t']>): TranslateOutcome => ({
    ok: true,
    t: {
      pa: 0x4000_5123, ipa: 0x4000_5123, perms: 7, attr: 0xff, sh: 3, ns: true, global: true, s1Shift: 12, s2Shift: 0, level: 3,
      contiguous: false, stage2: false, s1Attr: 0xff, s1Sh: 3, s2MemAttr: -1, asid: 0, vmid: 0, ...p,
    },
  });

  it('F=0: PA[47:12], ATTR[63:56], SH[8:7], NS[9], bit 11 RES1', () => {
    assert.equal(parEl1(ok({})), 0xff00_0000_4000_5000n | (1n << 11n) | (1n << 9n) | (3n << 7n));
    assert.equal(parEl1(ok({ pa: 0xab_cdef_1fff, attr: 0xbb, sh: 0, ns: false })), 0xbb00_00ab_cdef_1000n | (1n << 11n));
    // Device and Normal Non-cacheable always report Outer Shareable.
    assert.equal((parEl1(ok({ attr: 0x04, sh: 3 })) >> 7n) & 3n, 2n);
    assert.equal((parEl1(ok({ attr: 0x44, sh: 0 })) >> 7n) & 3n, 2n);
    assert.equal((parEl1(ok({ attr: 0xff, sh: 0 })) >> 7n) & 3n, 0n);
  });

  it('F=1: FST[6:1], PTW[8], S[9], bit 11 RES1', () => {
    const f = (p: Partial<MmuFault>): TranslateOutcome => ({ ok: false, fault: fault(p) });
    assert.equal(parEl1(f({ kind: 'translation', level: 2 })), 1n | (0x06n << 1n) | (1n << 11n));
    assert.equal(parEl1(f({ kind: 'permission', level: 3, stage: 2 })), 1n | (0x0fn << 1n) | (1n << 9n) | (1n << 11n));
    assert.equal(parEl1(f({ kind: 'translation', level: 1, stage: 2, s1ptw: true })), 1n | (0x05n << 1n) | (1n << 8n) | (1n << 9n) | (1n << 11n));
  });

  it('end to end: AT S1E1R / S12E1W through real tables', () => {
    const mem = newMem();
    const regs = zeroRegs();
    regs.mairEl1 = MAIR;
    const alloc = new TableAlloc(mem, RAM_BASE + (32 << 20));
    const s1 = new TableTree(mem, alloc, 12, 39);
    const s2 = new TableTree(mem, alloc, 12, 40, 1);
    regs.ttbr0El1 = BigInt(s1.root); regs.tcrEl1 = tcrEl1({ t0sz: 25, ips: 2 }); regs.sctlrEl1 = 1n;
    regs.vttbrEl2 = BigInt(s2.root); regs.vtcrEl2 = vtcr({ t0sz: 24, sl0: 1, ps: 2 }); regs.hcrEl2 = 1n;
    // Stage 2 identity-maps the table area so stage 1 walks work; the data IPA maps elsewhere.
    for (let off = 0; off < 8 << 20; off += 2 << 20) s2.set(BigInt(RAM_BASE + (32 << 20) + off), 2, s2Leaf(RAM_BASE + (32 << 20) + off, 2));
    s1.set(0x7000n, 3, s1Leaf(0x9000_0000, 3, { attrIndx: 4, sh: 2 }));
    s2.set(0x9000_0000n, 3, s2Leaf(RAM_BASE + 0x3000, 3, { memAttr: 0xf, s2ap: 1, sh: 3 }));
    const mmu = new Mmu(mem, regs);
    // AT S1E1R: the IPA with stage 1 attributes.
    assert.equal(parEl1(mmu.translateVa(0x7abcn, CTX_E10_1, ACC_READ, { stage1Only: true })), 0xbb00_0000_9000_0000n | (1n << 11n) | (1n << 9n) | (2n << 7n));
    // AT S12E1R: the PA with combined attributes (WT + WB -> WT; OSH + ISH -> OSH).
    assert.equal(parEl1(mmu.translateVa(0x7abcn, CTX_E10_1, ACC_READ)), 0xbb00_0000_4000_3000n | (1n << 11n) | (1n << 9n) | (2n << 7n));
    // AT S12E1W: stage 2 is read-only -> F=1, S=1, FST = permission level 3.
    assert.equal(parEl1(mmu.translateVa(0x7abcn, CTX_E10_1, ACC_WRITE)), 1n | (0x0fn << 1n) | (1n << 9n) | (1n << 11n));
    // AT S1E1R on an unmapped VA: stage 1 translation fault level 3.
    assert.equal(parEl1(mmu.translateVa(0x8000n, CTX_E10_1, ACC_READ, { stage1Only: true })), 1n | (0x07n << 1n) | (1n << 11n));
  });
});
