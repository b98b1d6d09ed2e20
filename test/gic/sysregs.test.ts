// The GIC system-register table: encodings (checked against objdump's names), ICC -> ICV
// routing, UNDEFINED cases and the ICH_HCR_EL2 / HCR_EL2 / SCR_EL3 traps.
import { strict as assert } from 'node:assert';
import { SYSREG_NAME_LINES } from '../../emulator/arch/a64/system/sysreg-names';
import {
  GIC_ACCESS, GIC_SYSREGS, findGicSysreg, gicSysregByName, gicSysregCheck, gicUsesVirtual, trapsToEl2,
  type GicAccessContext,
} from '../../emulator/devices/gic/sysregs';
import { EL1, EL2, EL3, GUEST, makeGic, syswrite } from './helpers';

const check = (name: string, ctx: GicAccessContext, isRead: boolean, hcr = 0): number => {
  const { gic } = makeGic(1);
  if (hcr) syswrite(gic, 0, 'ICH_HCR_EL2', hcr, EL2);
  return gicSysregCheck(gic.cpus[0], gicSysregByName(name)!, ctx, isRead);
};

describe('GIC system-register table', () => {
  it('every encoding carries the name objdump gives it', () => {
    const objdump = new Map<string, string>();
    for (const line of SYSREG_NAME_LINES) {
      const [op0, op1, crn, crm, op2, name] = line.split(' ');
      objdump.set(`${op0} ${op1} ${crn} ${crm} ${op2}`, name);
    }
    for (const d of GIC_SYSREGS) {
      assert.equal(objdump.get(`${d.op0} ${d.op1} ${d.crn} ${d.crm} ${d.op2}`), d.name.toLowerCase(), d.name);
    }
    assert.equal(GIC_SYSREGS.length, 42, "26 EL1 (ICC/ICV), 13 EL2, 3 EL3");
  });

  it('keys are the MRS/MSR bits [20:5] and unique', () => {
    const iar1 = gicSysregByName('ICC_IAR1_EL1')!;
    // MRS x0, ICC_IAR1_EL1 = 0xd538cc00: bits [20:5] = 0xc660
    assert.equal(iar1.key, (0xd538cc00 >>> 5) & 0xffff);
    assert.equal(findGicSysreg(iar1.key), iar1);
    assert.equal(new Set(GIC_SYSREGS.map((d) => d.key)).size, GIC_SYSREGS.length);
    assert.equal(findGicSysreg(0), undefined);
  });

  it('read-only and write-only registers: the other direction is UNDEFINED', () => {
    assert.equal(check('ICC_IAR1_EL1', EL1, false), GIC_ACCESS.UNDEFINED);
    assert.equal(check('ICC_IAR1_EL1', EL1, true), GIC_ACCESS.OK);
    assert.equal(check('ICC_EOIR1_EL1', EL1, true), GIC_ACCESS.UNDEFINED);
    assert.equal(check('ICC_SGI1R_EL1', EL1, true), GIC_ACCESS.UNDEFINED);
    assert.equal(check('ICH_VTR_EL2', EL2, false), GIC_ACCESS.UNDEFINED);
  });

  it('minimum exception level: EL0 never; ICH_ from EL2; _EL3 registers at EL3 only', () => {
    assert.equal(check('ICC_PMR_EL1', { ...EL1, el: 0 }, true), GIC_ACCESS.UNDEFINED);
    assert.equal(check('ICH_HCR_EL2', EL1, true), GIC_ACCESS.UNDEFINED);
    assert.equal(check('ICH_HCR_EL2', EL2, true), GIC_ACCESS.OK);
    assert.equal(check('ICC_CTLR_EL3', EL2, true), GIC_ACCESS.UNDEFINED);
    assert.equal(check('ICC_CTLR_EL3', EL3, true), GIC_ACCESS.OK);
  });
});

describe('ICC -> ICV routing', () => {
  const imoOnly = { ...EL1, imo: true };
  const fmoOnly = { ...EL1, fmo: true };
  it('Group 1 registers follow IMO, Group 0 registers follow FMO, common ones either', () => {
    assert.equal(gicUsesVirtual('g1', imoOnly), true);
    assert.equal(gicUsesVirtual('g1', fmoOnly), false);
    assert.equal(gicUsesVirtual('g0', fmoOnly), true);
    assert.equal(gicUsesVirtual('g0', imoOnly), false);
    assert.equal(gicUsesVirtual('common', imoOnly), true);
    assert.equal(gicUsesVirtual('dir', fmoOnly), true);
    assert.equal(gicUsesVirtual('common', EL1), false);
  });
  it('only at EL1 with EL2 enabled', () => {
    assert.equal(gicUsesVirtual('g1', { ...GUEST, el: 2 }), false);
    assert.equal(gicUsesVirtual('g1', { ...GUEST, el2Enabled: false }), false);
    assert.equal(gicUsesVirtual('sgi', GUEST), false, 'SGI registers are never virtual (they trap)');
  });
  it('ICV_AP1R1 does not exist (5 preemption bits): UNDEFINED for the guest, fine physically', () => {
    assert.equal(check('ICC_AP1R1_EL1', GUEST, true), GIC_ACCESS.UNDEFINED);
    assert.equal(check('ICC_AP1R1_EL1', EL1, true), GIC_ACCESS.OK);
    assert.equal(check('ICC_AP1R0_EL1', GUEST, true), GIC_ACCESS.OK);
  });
});

describe('GIC traps', () => {
  it('ICH_HCR_EL2.TALL1 traps Group 1 registers at EL1, not at EL2, not Group 0', () => {
    const TALL1 = 1 << 12;
    assert.equal(check('ICC_IAR1_EL1', GUEST, true, TALL1), GIC_ACCESS.TRAP_EL2);
    assert.equal(check('ICC_IGRPEN1_EL1', EL1, false, TALL1), GIC_ACCESS.TRAP_EL2, 'also the physical view');
    assert.equal(check('ICC_IAR1_EL1', GUEST, true), GIC_ACCESS.OK);
    assert.equal(check('ICC_IAR1_EL1', EL2, true, TALL1), GIC_ACCESS.OK);
    assert.equal(check('ICC_IAR0_EL1', GUEST, true, TALL1), GIC_ACCESS.OK);
  });

  it('ICH_HCR_EL2.TALL0 traps Group 0 registers', () => {
    const TALL0 = 1 << 11;
    assert.equal(check('ICC_BPR0_EL1', GUEST, true, TALL0), GIC_ACCESS.TRAP_EL2);
    assert.equal(check('ICC_BPR1_EL1', GUEST, true, TALL0), GIC_ACCESS.OK);
  });

  it('ICH_HCR_EL2.TC traps the common registers and SGI generation', () => {
    const TC = 1 << 10;
    for (const [n, r] of [['ICC_PMR_EL1', true], ['ICC_CTLR_EL1', false], ['ICC_RPR_EL1', true], ['ICC_DIR_EL1', false]] as const) {
      assert.equal(check(n, GUEST, r, TC), GIC_ACCESS.TRAP_EL2, n);
      assert.equal(check(n, GUEST, r), GIC_ACCESS.OK, n);
    }
    assert.equal(check('ICC_SGI1R_EL1', { ...EL1 }, false, TC), GIC_ACCESS.TRAP_EL2);
    assert.equal(check('ICC_IAR1_EL1', GUEST, true, TC), GIC_ACCESS.OK);
  });

  it('ICH_HCR_EL2.TDIR traps DIR only', () => {
    const TDIR = 1 << 14;
    assert.equal(check('ICC_DIR_EL1', GUEST, false, TDIR), GIC_ACCESS.TRAP_EL2);
    assert.equal(check('ICC_EOIR1_EL1', GUEST, false, TDIR), GIC_ACCESS.OK);
  });

  it('SGI generation at EL1 traps to EL2 when HCR_EL2.IMO or FMO is set', () => {
    for (const n of ['ICC_SGI1R_EL1', 'ICC_SGI0R_EL1', 'ICC_ASGI1R_EL1']) {
      assert.equal(check(n, { ...EL1, imo: true }, false), GIC_ACCESS.TRAP_EL2, n);
      assert.equal(check(n, { ...EL1, fmo: true }, false), GIC_ACCESS.TRAP_EL2, n);
      assert.equal(check(n, EL1, false), GIC_ACCESS.OK, n);
      assert.equal(check(n, { ...GUEST, el: 2 }, false), GIC_ACCESS.OK, `${n} at EL2`);
    }
  });

  it('trapsToEl2 is the EL2 case of the check', () => {
    const { gic } = makeGic(1);
    const def = gicSysregByName('ICC_SGI1R_EL1')!;
    assert.equal(trapsToEl2(gic.cpus[0], def, GUEST, false), true);
    assert.equal(trapsToEl2(gic.cpus[0], def, EL1, false), false);
  });

  it('no ICH_HCR_EL2 traps without EL2 enabled', () => {
    assert.equal(check('ICC_IAR1_EL1', { ...EL1, el2Enabled: false }, true, 1 << 12), GIC_ACCESS.OK);
  });

  it('SCR_EL3.IRQ traps Group 1 registers to EL3 unless HCR_EL2.IMO routes them to EL2', () => {
    const scr = { ...EL1, scrIrq: true };
    assert.equal(check('ICC_IAR1_EL1', scr, true), GIC_ACCESS.TRAP_EL3);
    assert.equal(check('ICC_IAR1_EL1', { ...scr, imo: true }, true), GIC_ACCESS.OK, 'virtual instead');
    assert.equal(check('ICC_IAR1_EL1', { ...scr, el: 2 }, true), GIC_ACCESS.TRAP_EL3);
    assert.equal(check('ICC_IAR1_EL1', { ...scr, el: 3 }, true), GIC_ACCESS.OK);
    assert.equal(check('ICC_IAR0_EL1', scr, true), GIC_ACCESS.OK, 'Group 0 follows SCR_EL3.FIQ');
    assert.equal(check('ICC_PMR_EL1', scr, true), GIC_ACCESS.OK, 'common registers need IRQ and FIQ');
    assert.equal(check('ICC_PMR_EL1', { ...scr, scrFiq: true }, true), GIC_ACCESS.TRAP_EL3);
  });

  it('ICH_HCR_EL2 traps take priority over EL3 traps', () => {
    assert.equal(check('ICC_IAR1_EL1', { ...EL1, scrIrq: true }, true, 1 << 12), GIC_ACCESS.TRAP_EL2);
  });
});
