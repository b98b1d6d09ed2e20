// The GICv3 system registers as MRS/MSR reach them: one entry per encoding with its name, the
// lowest EL that may access it, whether it is readable/writable, its trap class, and read/write
// handlers bound to a CPU interface. The lead's MRS/MSR table merges these entries by `key`.
//
// HOW AN ACCESS IS PERFORMED (per the Arm ARM pseudocode of each ICC_ register):
//   const def = findGicSysreg(key);                 // undefined: not a GIC register
//   switch (gicSysregCheck(ci, def, ctx, isRead)) {  // ci = gic.cpus[cpu.index]
//     case GIC_ACCESS.UNDEFINED: -> UNDEFINED exception (EC 0x00)
//     case GIC_ACCESS.TRAP_EL2:  -> trapped MSR/MRS to EL2 (EC 0x18)
//     case GIC_ACCESS.TRAP_EL3:  -> trapped MSR/MRS to EL3 (EC 0x18)
//     case GIC_ACCESS.OK:        value = def.read!(ci, ctx)  /  def.write!(ci, ctx, value)
//   }
//
// ICC -> ICV ROUTING (IHI 0069 "Virtual CPU interface"; Arm ARM ICC_* pseudocode): at EL1 with
// EL2 enabled, an access to an ICC_*_EL1 encoding is an ICV_*_EL1 access when
//   - Group 0 registers (IAR0, EOIR0, HPPIR0, BPR0, AP0R<n>, IGRPEN0):  HCR_EL2.FMO == 1
//   - Group 1 registers (IAR1, EOIR1, HPPIR1, BPR1, AP1R<n>, IGRPEN1):  HCR_EL2.IMO == 1
//   - common registers (CTLR, DIR, PMR, RPR):                    HCR_EL2.IMO == 1 || FMO == 1
// The handlers below apply this rule themselves (gicUsesVirtual), so `def.read/write` always
// do the right thing; `def.icvName` names the register for traces and the debugger.
//
// TRAPS checked by gicSysregCheck, in the Arm ARM's order (EL2 traps before EL3 traps):
//   EL0: every GIC register is UNDEFINED.
//   EL1 with EL2 enabled: ICH_HCR_EL2.TALL0 (Group 0 regs), TALL1 (Group 1 regs), TC (common
//     regs and SGI0R/SGI1R/ASGI1R), TDIR (DIR) -> EL2; SGI0R/SGI1R/ASGI1R -> EL2 when
//     HCR_EL2.IMO or FMO is 1 (the hypervisor emulates virtual SGIs).
//   EL1/EL2: SCR_EL3.FIQ (Group 0 regs; EL1 only if not routed to EL2 by FMO), SCR_EL3.IRQ
//     (Group 1 regs), SCR_EL3.IRQ && FIQ (common and SGI regs) -> EL3.
//   ICH_*_EL2 and ICC_SRE_EL2: EL2 and EL3 only; ICC_*_EL3: EL3 only; below that UNDEFINED.
//   An ICV register this interface does not implement (ICV_AP0R1..3 / ICV_AP1R1..3: 5 bits of
//     virtual preemption give one active-priority register) is UNDEFINED when reached.
// ICC_SRE_EL1 never traps here: ICC_SRE_EL2.Enable and ICC_SRE_EL3.Enable are RAO.
import type { GicAccessContext, GicCpuInterface } from './cpu-interface';
import { ICC_SRE_EL1_VALUE, ICC_SRE_EL2_VALUE, ICC_SRE_EL3_VALUE, ICH_HCR, ICH_VTR_VALUE } from './cpu-interface';
import { NUM_LRS } from './constants';

export type { GicAccessContext } from './cpu-interface';

/** Trap / routing class of a register. */
export type GicRegClass = 'g0' | 'g1' | 'common' | 'dir' | 'sgi' | 'sre' | 'el2' | 'el3';

export interface GicSysregDef {
  /** Architectural name, upper case (the ICC_ name for shared encodings). */
  readonly name: string;
  /** Name of the ICV_ register the encoding reaches when virtualised (EL1 ICC_ registers). */
  readonly icvName?: string;
  readonly op0: number; readonly op1: number; readonly crn: number; readonly crm: number; readonly op2: number;
  /** op0:op1:CRn:CRm:op2 = bits [20:5] of the MRS/MSR instruction (same as cpu/system-state sysKey). */
  readonly key: number;
  /** Lowest EL that may access it (otherwise UNDEFINED). */
  readonly minEl: 1 | 2 | 3;
  readonly cls: GicRegClass;
  /** The ICV_ counterpart does not exist in this implementation (UNDEFINED when virtualised). */
  readonly noVirtual?: boolean;
  /** Absent for write-only registers (MRS is UNDEFINED). */
  readonly read?: (ci: GicCpuInterface, ctx: GicAccessContext) => bigint;
  /** Absent for read-only registers (MSR is UNDEFINED). */
  readonly write?: (ci: GicCpuInterface, ctx: GicAccessContext, value: bigint) => void;
}

export const GIC_ACCESS = { OK: 0, UNDEFINED: -1, TRAP_EL2: 2, TRAP_EL3: 3 } as const;
export type GicAccessResult = (typeof GIC_ACCESS)[keyof typeof GIC_ACCESS];

function key(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** Whether an access of class `cls` is an ICV_ (virtual) access in this context. */
export function gicUsesVirtual(cls: GicRegClass, ctx: GicAccessContext): boolean {
  if (ctx.el !== 1 || !ctx.el2Enabled) return false;
  switch (cls) {
    case 'g0': return ctx.fmo;
    case 'g1': return ctx.imo;
    case 'common': case 'dir': return ctx.imo || ctx.fmo;
    default: return false;
  }
}

const lo32 = (v: bigint): number => Number(v & 0xffffffffn);
const hi32 = (v: bigint): number => Number((v >> 32n) & 0xffffffffn);
const u = (n: number): bigint => BigInt(n >>> 0);

type Def = Omit<GicSysregDef, 'key'>;
const defs: Def[] = [];
function reg(d: Def): void { defs.push(d); }

// ---- EL1 registers shared by ICC_ and ICV_ (op0 = 3, op1 = 0)
reg({
  name: 'ICC_PMR_EL1', icvName: 'ICV_PMR_EL1', op0: 3, op1: 0, crn: 4, crm: 6, op2: 0, minEl: 1, cls: 'common',
  read: (ci, ctx) => u(gicUsesVirtual('common', ctx) ? ci.icvReadPmr() : ci.pmr),
  write: (ci, ctx, v) => gicUsesVirtual('common', ctx) ? ci.icvWritePmr(lo32(v)) : ci.writePmr(lo32(v)),
});
for (const g of [0, 1]) {
  const cls = g ? 'g1' : 'g0';
  const crm = g ? 12 : 8;
  reg({
    name: `ICC_IAR${g}_EL1`, icvName: `ICV_IAR${g}_EL1`, op0: 3, op1: 0, crn: 12, crm, op2: 0, minEl: 1, cls,
    read: (ci, ctx) => u(gicUsesVirtual(cls, ctx) ? ci.icvIar(g) : ci.iar(g, ctx.el)),
  });
  reg({
    name: `ICC_EOIR${g}_EL1`, icvName: `ICV_EOIR${g}_EL1`, op0: 3, op1: 0, crn: 12, crm, op2: 1, minEl: 1, cls,
    write: (ci, ctx, v) => gicUsesVirtual(cls, ctx) ? ci.icvEoir(g, lo32(v)) : ci.eoir(g, lo32(v), ctx.el),
  });
  reg({
    name: `ICC_HPPIR${g}_EL1`, icvName: `ICV_HPPIR${g}_EL1`, op0: 3, op1: 0, crn: 12, crm, op2: 2, minEl: 1, cls,
    read: (ci, ctx) => u(gicUsesVirtual(cls, ctx) ? ci.icvHppir(g) : ci.hppir(g, ctx.el)),
  });
  reg({
    name: `ICC_BPR${g}_EL1`, icvName: `ICV_BPR${g}_EL1`, op0: 3, op1: 0, crn: 12, crm, op2: 3, minEl: 1, cls,
    read: (ci, ctx) => u(gicUsesVirtual(cls, ctx) ? ci.icvReadBpr(g) : ci.readBpr(g, ctx.el)),
    write: (ci, ctx, v) => gicUsesVirtual(cls, ctx) ? ci.icvWriteBpr(g, lo32(v)) : ci.writeBpr(g, lo32(v), ctx.el),
  });
  for (let n = 0; n < 4; n++) {
    // ICC_AP0R<n>: CRm = 8, op2 = 4 + n; ICC_AP1R<n>: CRm = 9, op2 = n.
    reg({
      name: `ICC_AP${g}R${n}_EL1`, icvName: `ICV_AP${g}R${n}_EL1`, op0: 3, op1: 0, crn: 12, crm: g ? 9 : 8,
      op2: g ? n : 4 + n, minEl: 1, cls, noVirtual: n > 0,
      read: (ci, ctx) => u(gicUsesVirtual(cls, ctx) ? ci.readVapr(g) : ci.readAp(g, n)),
      write: (ci, ctx, v) => gicUsesVirtual(cls, ctx) ? ci.writeVapr(g, lo32(v)) : ci.writeAp(g, n, lo32(v)),
    });
  }
  reg({
    name: `ICC_IGRPEN${g}_EL1`, icvName: `ICV_IGRPEN${g}_EL1`, op0: 3, op1: 0, crn: 12, crm: 12, op2: 6 + g, minEl: 1, cls,
    read: (ci, ctx) => u(gicUsesVirtual(cls, ctx) ? ci.icvReadIgrpen(g) : (g ? ci.igrpen1 : ci.igrpen0) ? 1 : 0),
    write: (ci, ctx, v) => gicUsesVirtual(cls, ctx) ? ci.icvWriteIgrpen(g, lo32(v)) : ci.writeIgrpen(g, lo32(v)),
  });
}
reg({
  name: 'ICC_DIR_EL1', icvName: 'ICV_DIR_EL1', op0: 3, op1: 0, crn: 12, crm: 11, op2: 1, minEl: 1, cls: 'dir',
  write: (ci, ctx, v) => gicUsesVirtual('dir', ctx) ? ci.icvDir(lo32(v)) : ci.dir(lo32(v), ctx),
});
reg({
  name: 'ICC_RPR_EL1', icvName: 'ICV_RPR_EL1', op0: 3, op1: 0, crn: 12, crm: 11, op2: 3, minEl: 1, cls: 'common',
  read: (ci, ctx) => u(gicUsesVirtual('common', ctx) ? ci.icvReadRpr() : ci.runningPriority()),
});
reg({
  name: 'ICC_SGI1R_EL1', op0: 3, op1: 0, crn: 12, crm: 11, op2: 5, minEl: 1, cls: 'sgi',
  write: (ci, _ctx, v) => ci.writeSgi(lo32(v), hi32(v), 1),
});
// With one Security state ASGI1R's "other Security state Group 1" is Group 0 (as QEMU treats it).
reg({
  name: 'ICC_ASGI1R_EL1', op0: 3, op1: 0, crn: 12, crm: 11, op2: 6, minEl: 1, cls: 'sgi',
  write: (ci, _ctx, v) => ci.writeSgi(lo32(v), hi32(v), 0),
});
reg({
  name: 'ICC_SGI0R_EL1', op0: 3, op1: 0, crn: 12, crm: 11, op2: 7, minEl: 1, cls: 'sgi',
  write: (ci, _ctx, v) => ci.writeSgi(lo32(v), hi32(v), 0),
});
reg({
  name: 'ICC_CTLR_EL1', icvName: 'ICV_CTLR_EL1', op0: 3, op1: 0, crn: 12, crm: 12, op2: 4, minEl: 1, cls: 'common',
  read: (ci, ctx) => u(gicUsesVirtual('common', ctx) ? ci.icvReadCtlr() : ci.readCtlrEl1()),
  write: (ci, ctx, v) => gicUsesVirtual('common', ctx) ? ci.icvWriteCtlr(lo32(v)) : ci.writeCtlrEl1(lo32(v)),
});
reg({
  name: 'ICC_SRE_EL1', op0: 3, op1: 0, crn: 12, crm: 12, op2: 5, minEl: 1, cls: 'sre',
  read: () => u(ICC_SRE_EL1_VALUE), write: () => { /* RAO/WI */ },
});

// ---- EL2 (op1 = 4)
reg({
  name: 'ICC_SRE_EL2', op0: 3, op1: 4, crn: 12, crm: 9, op2: 5, minEl: 2, cls: 'el2',
  read: () => u(ICC_SRE_EL2_VALUE), write: () => { /* RAO/WI */ },
});
for (const g of [0, 1]) {
  reg({
    name: `ICH_AP${g}R0_EL2`, op0: 3, op1: 4, crn: 12, crm: 8 + g, op2: 0, minEl: 2, cls: 'el2',
    read: (ci) => u(ci.readVapr(g)), write: (ci, _ctx, v) => ci.writeVapr(g, lo32(v)),
  });
}
reg({
  name: 'ICH_HCR_EL2', op0: 3, op1: 4, crn: 12, crm: 11, op2: 0, minEl: 2, cls: 'el2',
  read: (ci) => u(ci.ichHcr), write: (ci, _ctx, v) => ci.writeIchHcr(lo32(v)),
});
reg({ name: 'ICH_VTR_EL2', op0: 3, op1: 4, crn: 12, crm: 11, op2: 1, minEl: 2, cls: 'el2', read: () => u(ICH_VTR_VALUE) });
reg({ name: 'ICH_MISR_EL2', op0: 3, op1: 4, crn: 12, crm: 11, op2: 2, minEl: 2, cls: 'el2', read: (ci) => u(ci.misr()) });
reg({ name: 'ICH_EISR_EL2', op0: 3, op1: 4, crn: 12, crm: 11, op2: 3, minEl: 2, cls: 'el2', read: (ci) => u(ci.eisr()) });
reg({ name: 'ICH_ELRSR_EL2', op0: 3, op1: 4, crn: 12, crm: 11, op2: 5, minEl: 2, cls: 'el2', read: (ci) => u(ci.elrsr()) });
reg({
  name: 'ICH_VMCR_EL2', op0: 3, op1: 4, crn: 12, crm: 11, op2: 7, minEl: 2, cls: 'el2',
  read: (ci) => u(ci.ichVmcr), write: (ci, _ctx, v) => ci.writeIchVmcr(lo32(v)),
});
for (let n = 0; n < NUM_LRS; n++) {
  // ICH_LR<n>_EL2: CRm = 12 + n/8, op2 = n % 8.
  reg({
    name: `ICH_LR${n}_EL2`, op0: 3, op1: 4, crn: 12, crm: 12 + (n >> 3), op2: n & 7, minEl: 2, cls: 'el2',
    read: (ci) => ci.readLr(n), write: (ci, _ctx, v) => ci.writeLr(n, lo32(v), hi32(v)),
  });
}

// ---- EL3 (op1 = 6)
reg({
  name: 'ICC_CTLR_EL3', op0: 3, op1: 6, crn: 12, crm: 12, op2: 4, minEl: 3, cls: 'el3',
  read: (ci) => u(ci.readCtlrEl3()), write: (ci, _ctx, v) => ci.writeCtlrEl3(lo32(v)),
});
reg({
  name: 'ICC_SRE_EL3', op0: 3, op1: 6, crn: 12, crm: 12, op2: 5, minEl: 3, cls: 'el3',
  read: () => u(ICC_SRE_EL3_VALUE), write: () => { /* RAO/WI */ },
});
reg({
  name: 'ICC_IGRPEN1_EL3', op0: 3, op1: 6, crn: 12, crm: 12, op2: 7, minEl: 3, cls: 'el3',
  read: (ci) => u(ci.readIgrpen1El3()), write: (ci, _ctx, v) => ci.writeIgrpen1El3(lo32(v)),
});

/** Every GIC system register, in encoding order. */
export const GIC_SYSREGS: readonly GicSysregDef[] = defs
  .map((d) => ({ ...d, key: key(d.op0, d.op1, d.crn, d.crm, d.op2) }))
  .sort((a, b) => a.key - b.key);

const byKey = new Map<number, GicSysregDef>(GIC_SYSREGS.map((d) => [d.key, d]));
const byName = new Map<string, GicSysregDef>(GIC_SYSREGS.map((d) => [d.name, d]));

/** The GIC register at encoding `key` (op0:op1:CRn:CRm:op2), or undefined. */
export function findGicSysreg(k: number): GicSysregDef | undefined { return byKey.get(k); }
/** By architectural name, e.g. 'ICC_IAR1_EL1' or 'ICH_LR0_EL2'. */
export function gicSysregByName(name: string): GicSysregDef | undefined { return byName.get(name.toUpperCase()); }

/**
 * Access check for MRS (`isRead`) / MSR of `def` from CPU interface `ci`: OK, UNDEFINED, or a
 * trap to EL2/EL3 (Arm ARM pseudocode of the ICC_/ICH_ registers; see the header comment).
 */
export function gicSysregCheck(ci: GicCpuInterface, def: GicSysregDef, ctx: GicAccessContext, isRead: boolean): GicAccessResult {
  if (ctx.el < def.minEl) return GIC_ACCESS.UNDEFINED;
  if (isRead ? !def.read : !def.write) return GIC_ACCESS.UNDEFINED;
  const el = ctx.el;
  if (el === 3 || def.cls === 'el2' || def.cls === 'el3' || def.cls === 'sre') return GIC_ACCESS.OK;
  const hcr = ci.ichHcr;
  const el1Guest = el === 1 && ctx.el2Enabled;
  if (el1Guest) {
    switch (def.cls) {
      case 'g0': if (hcr & ICH_HCR.TALL0) return GIC_ACCESS.TRAP_EL2; break;
      case 'g1': if (hcr & ICH_HCR.TALL1) return GIC_ACCESS.TRAP_EL2; break;
      case 'dir': if (hcr & (ICH_HCR.TDIR | ICH_HCR.TC)) return GIC_ACCESS.TRAP_EL2; break;
      case 'common': if (hcr & ICH_HCR.TC) return GIC_ACCESS.TRAP_EL2; break;
      case 'sgi':
        if ((hcr & ICH_HCR.TC) || ctx.imo || ctx.fmo) return GIC_ACCESS.TRAP_EL2;
        break;
    }
  }
  // EL3 routing traps: a register of a group whose interrupts SCR_EL3 routes to EL3 is not
  // accessible below EL3, unless (at EL1) HCR_EL2 routes them to EL2 — then it is virtual.
  const v = gicUsesVirtual(def.cls, ctx);
  if (v && def.noVirtual) return GIC_ACCESS.UNDEFINED;
  if (!v) {
    const fiqTo3 = ctx.scrFiq && !(el1Guest && ctx.fmo);
    const irqTo3 = ctx.scrIrq && !(el1Guest && ctx.imo);
    switch (def.cls) {
      case 'g0': if (fiqTo3) return GIC_ACCESS.TRAP_EL3; break;
      case 'g1': if (irqTo3) return GIC_ACCESS.TRAP_EL3; break;
      // common, dir, sgi (at EL1 with IMO/FMO these were virtual or trapped to EL2 above)
      default: if (ctx.scrFiq && ctx.scrIrq) return GIC_ACCESS.TRAP_EL3; break;
    }
  }
  return GIC_ACCESS.OK;
}

/** Convenience: whether the access traps to EL2 (ICH_HCR_EL2.TALL0/TALL1/TC/TDIR, SGI via IMO/FMO). */
export function trapsToEl2(ci: GicCpuInterface, def: GicSysregDef, ctx: GicAccessContext, isRead: boolean): boolean {
  return gicSysregCheck(ci, def, ctx, isRead) === GIC_ACCESS.TRAP_EL2;
}
