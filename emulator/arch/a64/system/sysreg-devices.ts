// System registers that belong to devices attached to a PE: the GICv3 CPU interface (ICC_*,
// ICV_* through the ICC_ encodings, ICH_*; IHI 0069 chapter 12) and the generic timer (CNT*;
// Arm ARM D11 and the register descriptions in D19/D23). They join SYSREG_BY_KEY when this module
// is loaded (the board imports it once), so MRS/MSR, the disassembler and the debugger see one table.
//
// Each handler finds its device on the executing PE (`cpu.devices`, filled by the board):
//   cpu.devices.gic   : GicCpuInterface of this PE (gic.cpus[cpu.index])
//   cpu.devices.timer : GenericTimer of this PE
//   cpu.devices.clock : () => number, the PE's virtual time in ns (what the counter derives from)
// A PE without the device (a bare Cpu in a unit test) takes UNDEFINED with a reason naming it.
//
// Access checks. MRS/MSR (system.ts) have already applied the op1-based minimum-EL rule (EL0 needs
// `el0` in the def, an EL2/EL3 register of an absent EL is UNDEFINED). The rest is done here,
// precisely as the Arm ARM pseudocode of each register says:
//   - GIC: gicSysregCheck (ICH_HCR_EL2.TALL0/TALL1/TC/TDIR, SGI registers with HCR_EL2.IMO/FMO,
//     SCR_EL3.IRQ/FIQ) -> UNDEFINED, or a trapped MSR/MRS (EC 0x18) to EL2 or EL3.
//   - Timer: counterAccess / timerAccess / cntfrqAccess / secureTimerAccess (CNTKCTL_EL1 gates EL0,
//     CNTHCTL_EL2 gates EL1 physical counter/timer access) -> trapped MSR/MRS to EL1/EL2/EL3.
// The trap's ISS (Arm ARM D17.2.37, "ISS encoding for an exception from MSR, MRS, or System
// instruction execution") needs Rt and the direction; the handler API passes Rt only for reads,
// so the instruction word is re-read at the PC (see insnAtPc).
import type { Cpu } from '../../../cpu/cpu';
import { EC, ESR_IL } from '../../../cpu/exceptions';
import { HCR, HCR_HI, SCR, SYS } from '../../../cpu/system-state';
import { registerSysregs, type SysRegDef } from './sysreg-table';
import type { GicCpuInterface } from '../../../devices/gic/cpu-interface';
import { GIC_ACCESS, GIC_SYSREGS, gicSysregCheck, type GicAccessContext, type GicSysregDef } from '../../../devices/gic/sysregs';
import {
  cntfrqAccess, counterAccess, GenericTimer, secureTimerAccess, timerAccess, virtualOffsetApplies,
  type TimerAccess, type TimerAccessContext, type TimerRegName,
} from '../../../devices/generic-timer';

/** HCR_EL2.FMO (bit 3) and IMO (bit 4): physical FIQ/IRQ routed to EL2, ICC_ -> ICV_ (Arm ARM D17.2.48). */
const HCR_FMO = 1 << 3, HCR_IMO = 1 << 4;
/** SCR_EL3.IRQ (bit 1), FIQ (bit 2), ST (bit 11). */
const SCR_IRQ = 1 << 1, SCR_FIQ = 1 << 2, SCR_ST = 1 << 11;

const u64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
function put(cpu: Cpu, t: number, v: bigint): void {
  cpu.xlo[t] = Number(v & 0xffffffffn) | 0;
  cpu.xhi[t] = Number((v >> 32n) & 0xffffffffn) | 0;
}

/**
 * The MRS/MSR word being executed: read back from the PC (the run loop advances the PC only after
 * the handler returns). Used for the trap syndrome and UNDEFINED reports only, never on the hot path.
 */
function insnAtPc(cpu: Cpu): number {
  return cpu.mem.read32(cpu.translateData(cpu.pcLo, cpu.pcHi, 4, false), cpu) | 0;
}

/** Trapped MSR/MRS (EC 0x18) to `el` with the ISS of the instruction at the PC. */
function trapSysreg(cpu: Cpu, el: number): never {
  const i = insnAtPc(cpu);
  const read = (i >>> 21) & 1;
  const iss = (((i >>> 19) & 3) << 20) | (((i >>> 5) & 7) << 17) | (((i >>> 16) & 7) << 14) | (((i >>> 12) & 15) << 10) |
    ((i & 31) << 5) | (((i >>> 8) & 15) << 1) | read;
  cpu.exception(el, 'sync', (EC.SYSREG << 26) | ESR_IL | iss, cpu.pcLo, cpu.pcHi);
  cpu.abandon();
}

function undefinedHere(cpu: Cpu, reason: string): never {
  return cpu.undefinedInstruction(insnAtPc(cpu), reason);
}

/** EL2 implemented and enabled in the current Security state (Arm ARM EL2Enabled(); no Secure EL2). */
function el2Enabled(cpu: Cpu): boolean {
  if (!cpu.config.hasEl2) return false;
  return !cpu.config.hasEl3 || (cpu.sysLo[SYS.SCR_EL3] & SCR.NS) !== 0;
}

function device<T>(cpu: Cpu, what: 'gic' | 'timer', name: string, ctor?: abstract new (...a: never[]) => T): T {
  const d = cpu.devices[what];
  if (d === undefined || (ctor && !(d instanceof ctor))) {
    undefinedHere(cpu, `${name}: this PE has no ${what === 'gic' ? 'GIC CPU interface' : 'generic timer'} attached`);
  }
  return d as T;
}

// ------------------------------------------------------------------ GIC

export function gicContext(cpu: Cpu): GicAccessContext {
  const e2 = el2Enabled(cpu);
  const hcr = e2 ? cpu.sysLo[SYS.HCR_EL2] : 0;
  // HCR_EL2.TGE = 1 (with E2H = 0) makes IMO/FMO behave as 1 for all purposes but a direct read.
  const tge = (hcr & HCR.TGE) !== 0 && (cpu.sysHi[SYS.HCR_EL2] & HCR_HI.E2H) === 0;
  const scr = cpu.config.hasEl3 ? cpu.sysLo[SYS.SCR_EL3] : 0;
  return {
    el: cpu.el, el2Enabled: e2,
    imo: (hcr & HCR_IMO) !== 0 || tge, fmo: (hcr & HCR_FMO) !== 0 || tge,
    scrIrq: (scr & SCR_IRQ) !== 0, scrFiq: (scr & SCR_FIQ) !== 0,
  };
}

function gicAccess(cpu: Cpu, def: GicSysregDef, isRead: boolean): { ci: GicCpuInterface; ctx: GicAccessContext } {
  const ci = device<GicCpuInterface>(cpu, 'gic', def.name);
  const ctx = gicContext(cpu);
  switch (gicSysregCheck(ci, def, ctx, isRead)) {
    case GIC_ACCESS.OK: return { ci, ctx };
    case GIC_ACCESS.TRAP_EL2: return trapSysreg(cpu, 2);
    case GIC_ACCESS.TRAP_EL3: return trapSysreg(cpu, 3);
    default: return undefinedHere(cpu, `${isRead ? 'MRS' : 'MSR'} ${def.name} at EL${cpu.el}${def.noVirtual ? ' (no ICV_ counterpart here)' : ''}`);
  }
}

function gicDef(def: GicSysregDef): SysRegDef {
  const { op0, op1, crn, crm, op2, name } = def;
  const d: SysRegDef = { op0, op1, crn, crm, op2, name };
  if (def.read) {
    const read = def.read;
    d.read = (cpu, t) => { const a = gicAccess(cpu, def, true); put(cpu, t, read(a.ci, a.ctx)); };
  }
  if (def.write) {
    const write = def.write;
    d.write = (cpu, lo, hi) => { const a = gicAccess(cpu, def, false); write(a.ci, a.ctx, u64(lo, hi)); };
  }
  return d;
}

// ------------------------------------------------------------------ generic timer

function timerContext(cpu: Cpu, t: GenericTimer): TimerAccessContext {
  const e2 = el2Enabled(cpu);
  const hcrLo = e2 ? cpu.sysLo[SYS.HCR_EL2] : 0, hcrHi = e2 ? cpu.sysHi[SYS.HCR_EL2] : 0;
  const scr = cpu.config.hasEl3 ? cpu.sysLo[SYS.SCR_EL3] : 0;
  return {
    el: cpu.el as 0 | 1 | 2 | 3, el2Enabled: e2, e2h: (hcrHi & HCR_HI.E2H) !== 0, tge: (hcrLo & HCR.TGE) !== 0,
    cntkctl: t.cntkctlEl1, cnthctl: t.cnthctlEl2,
    secure: cpu.config.hasEl3 && (scr & SCR.NS) === 0, scrSt: (scr & SCR_ST) !== 0,
  };
}

function clockOf(cpu: Cpu, name: string): number {
  const c = cpu.devices.clock;
  if (typeof c !== 'function') undefinedHere(cpu, `${name}: this PE has no virtual clock attached`);
  return (c as () => number)();
}

function enforce(cpu: Cpu, a: TimerAccess, what: string): void {
  switch (a) {
    case 'ok': return;
    case 'trap-el1': trapSysreg(cpu, 1); break;
    case 'trap-el2': trapSysreg(cpu, 2); break;
    case 'trap-el3': trapSysreg(cpu, 3); break;
    case 'undefined': undefinedHere(cpu, `${what} at EL${cpu.el}`);
  }
}

type Check = (cpu: Cpu, c: TimerAccessContext, isWrite: boolean) => TimerAccess;
const highestEl = (cpu: Cpu): 1 | 2 | 3 => (cpu.config.hasEl3 ? 3 : cpu.config.hasEl2 ? 2 : 1);
const always: Check = () => 'ok';

interface TimerRegSpec { name: TimerRegName; op1: number; crm: number; op2: number; el0?: 'r' | 'rw'; ro?: boolean; check: Check }

const TIMER_REGS: TimerRegSpec[] = [
  { name: 'CNTFRQ_EL0', op1: 3, crm: 0, op2: 0, el0: 'r', check: (cpu, c, w) => cntfrqAccess(c, w, highestEl(cpu)) },
  { name: 'CNTPCT_EL0', op1: 3, crm: 0, op2: 1, el0: 'r', ro: true, check: (_cpu, c) => counterAccess('phys', c) },
  { name: 'CNTVCT_EL0', op1: 3, crm: 0, op2: 2, el0: 'r', ro: true, check: (_cpu, c) => counterAccess('virt', c) },
  { name: 'CNTKCTL_EL1', op1: 0, crm: 1, op2: 0, check: always },
  { name: 'CNTHCTL_EL2', op1: 4, crm: 1, op2: 0, check: always },
  { name: 'CNTVOFF_EL2', op1: 4, crm: 0, op2: 3, check: always },
];
for (const [p, crm] of [['CNTP', 2], ['CNTV', 3]] as const) {
  const kind = p === 'CNTP' ? 'phys' : 'virt';
  (['TVAL', 'CTL', 'CVAL'] as const).forEach((f, op2) => TIMER_REGS.push({
    name: `${p}_${f}_EL0`, op1: 3, crm, op2, el0: 'rw', check: (_cpu, c) => timerAccess(kind, c),
  }));
}
(['TVAL', 'CTL', 'CVAL'] as const).forEach((f, op2) => {
  TIMER_REGS.push({ name: `CNTHP_${f}_EL2`, op1: 4, crm: 2, op2, check: always });
  TIMER_REGS.push({ name: `CNTPS_${f}_EL1`, op1: 7, crm: 2, op2, check: (_cpu, c) => secureTimerAccess(c) });
});

function timerDef(s: TimerRegSpec): SysRegDef {
  const access = (cpu: Cpu, isWrite: boolean): { t: GenericTimer; c: TimerAccessContext; now: number } => {
    const t = device(cpu, 'timer', s.name, GenericTimer);
    const c = timerContext(cpu, t);
    enforce(cpu, s.check(cpu, c, isWrite), `${isWrite ? 'MSR' : 'MRS'} ${s.name}`);
    return { t, c, now: clockOf(cpu, s.name) };
  };
  const d: SysRegDef = {
    op0: 3, op1: s.op1, crn: 14, crm: s.crm, op2: s.op2, name: s.name, el0: s.el0,
    read: (cpu, r) => {
      const { t, c, now } = access(cpu, false);
      const virtualOffset = virtualOffsetApplies({ ...c, el2Implemented: cpu.config.hasEl2 });
      put(cpu, r, t.read(s.name, now, { virtualOffset }));
    },
  };
  if (!s.ro) {
    d.write = (cpu, lo, hi) => {
      const { t, now } = access(cpu, true);
      t.write(s.name, u64(lo, hi), now);
    };
  }
  return d;
}

/** Every device-backed system register, as SYSREG_BY_KEY entries. */
export const SYSREG_DEVICE_DEFS: readonly SysRegDef[] = [...GIC_SYSREGS.map(gicDef), ...TIMER_REGS.map(timerDef)];

registerSysregs(SYSREG_DEVICE_DEFS);
