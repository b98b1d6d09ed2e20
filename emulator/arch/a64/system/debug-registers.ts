// The self-hosted debug system registers of an Armv8.0 PE (Arm ARM D2 "AArch64 Self-hosted Debug",
// register descriptions in D19.3 "Debug registers"): MDSCR_EL1, the OS lock and OS double lock
// (OSLAR/OSLSR/OSDLR_EL1), DBGPRCR_EL1, MDCCINT_EL1, MDRAR_EL1, the claim tags, DBGAUTHSTATUS_EL1,
// the breakpoint and watchpoint registers DBGBVR<n>/DBGBCR<n>/DBGWVR<n>/DBGWCR<n>_EL1, the OS
// save/restore registers OSDTRRX/OSDTRTX/OSECCR_EL1, and MDCR_EL3. They join SYSREG_BY_KEY through
// SYSREGS (sysreg-table.ts spreads DEBUG_SYSREGS into it), so MRS/MSR, the disassembler and the
// debugger see one table.
//
// How much is implemented, and why this is honest:
//   - ID_AA64DFR0_EL1 advertises what a Cortex-A53 has: 6 breakpoints (2 context-aware), 4
//     watchpoints (BRPs = 5, CTX_CMPs = 1, WRPs = 3), DebugVer = 6; PMUVer = 0 (no PMU: its
//     registers are UNDEFINED). Armv8 requires at least 2 breakpoints and 2 watchpoints, so "none"
//     cannot be advertised; the registers therefore exist and hold their values exactly as written.
//   - Breakpoint, watchpoint and software-step exceptions are NOT generated yet (that needs the
//     instruction fetch and data access paths in emulator/cpu). Architecturally they can only occur
//     when MDSCR_EL1.MDE = 1 with some DBGBCR<n>.E or DBGWCR<n>.E = 1 (AArch64.CheckBreakpoint,
//     AArch64.CheckWatchpoint), or with MDSCR_EL1.SS = 1 (software step). Any write that reaches
//     such a state stops the run with a message naming it, following the table's refusal policy,
//     instead of silently never firing. Everything before that point (Linux resets all of them at
//     boot and clears the OS lock) behaves exactly as on hardware.
//   - There is no external debugger: DBGAUTHSTATUS_EL1 reports external invasive and non-invasive
//     debug as implemented but disabled (DBGEN/NIDEN low), so halting is prohibited and the
//     EDSCR-only fields that MDSCR_EL1 can reach under the OS lock (save/restore) have no effect.
//     The DCC (MDCCSR_EL0, DBGDTR*_EL0) is not modelled: those stay UNDEFINED, named.
//   - Traps: MDCR_EL2.TDA/TDOSA/TDRA (and TDE, and HCR_EL2.TGE, which make them behave as 1) trap
//     EL1 accesses to EL2; MDCR_EL3.TDA/TDOSA trap EL1/EL2 accesses to EL3 (Arm ARM D19.3, the
//     "Accessibility" pseudocode of each register). EC 0x18 with the MRS/MSR ISS.
//
// Storage: each register lives in cpu.sysLo/sysHi at its own encoding key, except the OS lock
// (kept inverted at the OSLSR_EL1 key, because the slots reset to zero and OSLK resets to 1,
// Arm ARM D19.3.21) and the claim tags (at the DBGCLAIMCLR_EL1 key).
import type { Cpu } from '../../../cpu/cpu';
import { EC, ESR_IL } from '../../../cpu/exceptions';
import { HCR, MDCR_TDE, SCR, SYS, sysKey } from '../../../cpu/system-state';
import type { SysRegDef } from './sysreg-table';

/** Breakpoints and watchpoints of the modelled core (Cortex-A53 TRM, ID_AA64DFR0_EL1). */
export const NUM_BREAKPOINTS = 6;
export const NUM_WATCHPOINTS = 4;
export const NUM_CONTEXT_BREAKPOINTS = 2;

/**
 * ID_AA64DFR0_EL1: CTX_CMPs (31:28) = 1, WRPs (23:20) = 3, BRPs (15:12) = 5 (each "number minus
 * one"), PMUVer (11:8) = 0 (no PMU), TraceVer (7:4) = 0, DebugVer (3:0) = 6 (Armv8.0 debug).
 * QEMU's cortex-a53 reads 0x10305106: the same but PMUVer = 1.
 */
export const ID_AA64DFR0_VALUE = ((NUM_CONTEXT_BREAKPOINTS - 1) << 28) | ((NUM_WATCHPOINTS - 1) << 20) | ((NUM_BREAKPOINTS - 1) << 12) | 0x6;

/** MDSCR_EL1 fields (Arm ARM D19.3.17). */
export const MDSCR = {
  SS: 1 << 0, ERR: 1 << 6, TDCC: 1 << 12, KDE: 1 << 13, HDE: 1 << 14, MDE: 1 << 15,
  TDA: 1 << 21, INTDIS: 3 << 22, TXU: 1 << 26, RXO: 1 << 27, TXFULL: 1 << 29, RXFULL: 1 << 30,
} as const;
/** Always writable. */
const MDSCR_RW = MDSCR.SS | MDSCR.TDCC | MDSCR.KDE | MDSCR.MDE;
/**
 * Views of EDSCR fields, for saving and restoring them: RW while the OS lock is locked, otherwise
 * "treat as UNK/SBZP" (writes leave them as they are here; reads return the held value).
 */
const MDSCR_SAVE_RESTORE = MDSCR.ERR | MDSCR.HDE | MDSCR.TDA | MDSCR.INTDIS | MDSCR.TXU | MDSCR.RXO | MDSCR.TXFULL | MDSCR.RXFULL;

/** DBGBCR<n>_EL1 state bits: BT, LBN, SSC, HMC, BAS, PMC, E (the rest RES0, Arm ARM D19.3.2). */
export const DBGBCR_MASK = 0x00ffe1e7;
/** DBGWCR<n>_EL1 state bits: MASK, WT, LBN, SSC, HMC, BAS, LSC, PAC, E (Arm ARM D19.3.12). */
export const DBGWCR_MASK = 0x1f1fffff;
/** MDCCINT_EL1: RX (30) and TX (29) interrupt enables. No DCC interrupt is wired on virt (as QEMU). */
const MDCCINT_MASK = (1 << 30) | (1 << 29);
/** Claim tags implemented (Cortex-A53: 8); DBGCLAIMSET_EL1 reads this mask. */
const CLAIM_MASK = 0xff;
/**
 * DBGAUTHSTATUS_EL1: NSNID (3:2) = NSID (1:0) = 0b10, "implemented and disabled": no external
 * debugger, DBGEN/NIDEN low. SID/SNID (7:4): secure debug is described only when EL3 exists.
 */
const AUTHSTATUS_NS = 0x0a, AUTHSTATUS_S = 0xa0;

/** MDCR_EL2 (Arm ARM D19.2.?): TDE (8), TDA (9), TDOSA (10), TDRA (11). MDCR_EL3: TDA (9), TDOSA (10). */
/** MDCR_EL3 bits of Armv8.0 without AArch32: TPM (6), TDA (9), TDOSA (10), SDD (16), EDAD (20), EPMAD (21). */
const MDCR_EL3_MASK = (1 << 6) | (1 << 9) | (1 << 10) | (1 << 16) | (1 << 20) | (1 << 21);
const MDCR_TDA = 1 << 9, MDCR_TDOSA = 1 << 10, MDCR_TDRA = 1 << 11;
/** Which MDCR_EL2 / MDCR_EL3 bit traps a register (Arm ARM D19.3 per-register pseudocode). */
type TrapGroup = 'tda' | 'tdosa' | 'tdra';

const KEY = {
  MDSCR: sysKey(2, 0, 0, 2, 2),
  OSLSR: sysKey(2, 0, 1, 1, 4),
  OSDLR: sysKey(2, 0, 1, 3, 4),
  DBGPRCR: sysKey(2, 0, 1, 4, 4),
  CLAIM: sysKey(2, 0, 7, 9, 6),
  MDCR_EL3: sysKey(3, 6, 1, 3, 1),
} as const;
const bcrKey = (n: number): number => sysKey(2, 0, 0, n, 5);
const wcrKey = (n: number): number => sysKey(2, 0, 0, n, 7);

/** OSLSR_EL1.OSLK: 1 after reset until software writes OSLAR_EL1.OSLK = 0. */
export function osLocked(cpu: Cpu): boolean {
  return cpu.sysLo[KEY.OSLSR] === 0; // stored inverted: 0 = locked (the reset value)
}

/** EL2 is enabled in the current Security state (no EL3, or SCR_EL3.NS = 1). */
function el2Enabled(cpu: Cpu): boolean {
  return cpu.config.hasEl2 && (!cpu.config.hasEl3 || (cpu.sysLo[SYS.SCR_EL3] & SCR.NS) !== 0);
}

/**
 * The MRS/MSR word being executed, read back from the PC (the run loop advances the PC only after
 * the handler returns); only for the syndrome of a trap, never on the common path.
 */
function insnAtPc(cpu: Cpu): number {
  return cpu.mem.read32(cpu.translateData(cpu.pcLo, cpu.pcHi, 4, false), cpu) | 0;
}

/** Trapped MSR/MRS (EC 0x18, Arm ARM D17.2.37 ISS) to `el`. */
function trapSysreg(cpu: Cpu, el: number): never {
  const i = insnAtPc(cpu);
  const iss = (((i >>> 19) & 3) << 20) | (((i >>> 5) & 7) << 17) | (((i >>> 16) & 7) << 14) | (((i >>> 12) & 15) << 10) |
    ((i & 31) << 5) | (((i >>> 8) & 15) << 1) | ((i >>> 21) & 1);
  cpu.exception(el, 'sync', (EC.SYSREG << 26) | ESR_IL | iss, cpu.pcLo, cpu.pcHi);
  cpu.abandon();
}

/**
 * The trap checks of a debug register accessed at EL1 or EL2 (EL0 has no access to these; the
 * op1-based rule in system.ts has already made that UNDEFINED). EL2 traps first, then EL3, as in
 * the register pseudocode. Cheap when nothing is set: two loads and compares.
 */
function checkTraps(cpu: Cpu, group: TrapGroup): void {
  const el = cpu.el;
  if (el === 1 && el2Enabled(cpu)) {
    const mdcr = cpu.sysLo[SYS.MDCR_EL2];
    const tde = (mdcr & MDCR_TDE) !== 0 || (cpu.sysLo[SYS.HCR_EL2] & HCR.TGE) !== 0;
    const bit = group === 'tda' ? MDCR_TDA : group === 'tdosa' ? MDCR_TDOSA : MDCR_TDRA;
    if (tde || (mdcr & bit) !== 0) trapSysreg(cpu, 2);
  }
  if (el < 3 && cpu.config.hasEl3) {
    // MDCR_EL3 has no TDRA: MDRAR_EL1 is trapped by TDA (Arm ARM D19.3.18).
    const bit = group === 'tdosa' ? MDCR_TDOSA : MDCR_TDA;
    if ((cpu.sysLo[KEY.MDCR_EL3] & bit) !== 0) trapSysreg(cpu, 3);
  }
}

/**
 * The refusal: a state in which a breakpoint, watchpoint or software step could generate a debug
 * exception, which hvlab does not implement yet. Returns the reason, or undefined.
 */
function unsupportedDebugState(cpu: Cpu, mdscr: number): string | undefined {
  if (mdscr & MDSCR.SS) return 'MDSCR_EL1.SS = 1: software step is not implemented yet';
  if ((mdscr & MDSCR.MDE) === 0) return undefined;
  const armed: string[] = [];
  for (let n = 0; n < NUM_BREAKPOINTS; n++) if (cpu.sysLo[bcrKey(n)] & 1) armed.push(`DBGBCR${n}_EL1.E`);
  for (let n = 0; n < NUM_WATCHPOINTS; n++) if (cpu.sysLo[wcrKey(n)] & 1) armed.push(`DBGWCR${n}_EL1.E`);
  if (armed.length === 0) return undefined;
  return `MDSCR_EL1.MDE = 1 with ${armed.join(', ')} = 1: hardware breakpoints and watchpoints do not fire yet (not implemented)`;
}

function refuseIfArmed(cpu: Cpu, name: string): void {
  const why = unsupportedDebugState(cpu, cpu.sysLo[KEY.MDSCR]);
  if (why) cpu.stop({ kind: 'fault', pc: cpu.pc, message: `MSR ${name}: ${why}` });
}

/** A register held at its own key, with the trap check of its group and a state mask. */
function stored(name: string, op0: number, op1: number, crn: number, crm: number, op2: number, group: TrapGroup,
  maskLo: number, maskHi: number, after?: (cpu: Cpu) => void): SysRegDef {
  const key = sysKey(op0, op1, crn, crm, op2);
  return {
    op0, op1, crn, crm, op2, name,
    read: (cpu, t) => { checkTraps(cpu, group); cpu.xlo[t] = cpu.sysLo[key]; cpu.xhi[t] = cpu.sysHi[key]; },
    write: (cpu, lo, hi) => {
      checkTraps(cpu, group);
      const oldLo = cpu.sysLo[key], oldHi = cpu.sysHi[key];
      cpu.sysLo[key] = lo & maskLo; cpu.sysHi[key] = hi & maskHi;
      if (after) {
        try { after(cpu); } catch (e) { cpu.sysLo[key] = oldLo; cpu.sysHi[key] = oldHi; throw e; }
      }
    },
  };
}

function breakpointRegisters(): SysRegDef[] {
  const out: SysRegDef[] = [];
  for (let n = 0; n < NUM_BREAKPOINTS; n++) {
    // DBGBVR: bits 1:0 RES0; an address (sign-extended from bit 48) or, for the context-aware
    // breakpoints (the highest-numbered ones), CONTEXTIDR in bits 31:0 (and VMID in 39:32).
    out.push(stored(`DBGBVR${n}_EL1`, 2, 0, 0, n, 4, 'tda', ~3, -1));
    out.push(stored(`DBGBCR${n}_EL1`, 2, 0, 0, n, 5, 'tda', DBGBCR_MASK, 0, (cpu) => refuseIfArmed(cpu, `DBGBCR${n}_EL1`)));
  }
  for (let n = 0; n < NUM_WATCHPOINTS; n++) {
    out.push(stored(`DBGWVR${n}_EL1`, 2, 0, 0, n, 6, 'tda', ~3, -1));
    out.push(stored(`DBGWCR${n}_EL1`, 2, 0, 0, n, 7, 'tda', DBGWCR_MASK, 0, (cpu) => refuseIfArmed(cpu, `DBGWCR${n}_EL1`)));
  }
  return out;
}

const constantRead = (value: (cpu: Cpu) => number, group: TrapGroup) => (cpu: Cpu, t: number): void => {
  checkTraps(cpu, group);
  cpu.xlo[t] = value(cpu); cpu.xhi[t] = 0;
};

export const DEBUG_SYSREGS: readonly SysRegDef[] = [
  {
    op0: 2, op1: 0, crn: 0, crm: 2, op2: 2, name: 'MDSCR_EL1',
    read: (cpu, t) => { checkTraps(cpu, 'tda'); cpu.xlo[t] = cpu.sysLo[KEY.MDSCR]; cpu.xhi[t] = 0; },
    write: (cpu, lo) => {
      checkTraps(cpu, 'tda');
      const old = cpu.sysLo[KEY.MDSCR];
      const rw = MDSCR_RW | (osLocked(cpu) ? MDSCR_SAVE_RESTORE : 0);
      const v = (lo & rw) | (old & ~rw & (MDSCR_RW | MDSCR_SAVE_RESTORE));
      const why = unsupportedDebugState(cpu, v);
      if (why) cpu.stop({ kind: 'fault', pc: cpu.pc, message: `MSR MDSCR_EL1: ${why}` });
      cpu.sysLo[KEY.MDSCR] = v;
    },
  },
  stored('MDCCINT_EL1', 2, 0, 0, 2, 0, 'tda', MDCCINT_MASK, 0),
  ...breakpointRegisters(),
  // OS save/restore views of DTRRX, DTRTX, EDECCR (32 bits each; no external debugger reads them).
  stored('OSDTRRX_EL1', 2, 0, 0, 0, 2, 'tda', -1, 0),
  stored('OSDTRTX_EL1', 2, 0, 0, 3, 2, 'tda', -1, 0),
  stored('OSECCR_EL1', 2, 0, 0, 6, 2, 'tda', -1, 0),
  // MDRAR_EL1: ROMADDRV = 0b00, no ROM table address (Armv8.0 allows "not valid").
  { op0: 2, op1: 0, crn: 1, crm: 0, op2: 0, name: 'MDRAR_EL1', read: constantRead(() => 0, 'tdra') },
  {
    // OSLAR_EL1 (write-only): OSLK, bit 0, locks or unlocks the OS lock.
    op0: 2, op1: 0, crn: 1, crm: 0, op2: 4, name: 'OSLAR_EL1',
    write: (cpu, lo) => { checkTraps(cpu, 'tdosa'); cpu.sysLo[KEY.OSLSR] = (lo & 1) ^ 1; },
  },
  {
    // OSLSR_EL1: OSLM = 0b10 (bit 3 set: OS lock implemented, AArch64 form), nTT = 0, OSLK (bit 1).
    op0: 2, op1: 0, crn: 1, crm: 1, op2: 4, name: 'OSLSR_EL1',
    read: constantRead((cpu) => 0x8 | (osLocked(cpu) ? 2 : 0), 'tdosa'),
  },
  // OSDLR_EL1.DLK (bit 0): the OS double lock; only meaningful for powerdown, stored.
  stored('OSDLR_EL1', 2, 0, 1, 3, 4, 'tdosa', 1, 0),
  // DBGPRCR_EL1.CORENPDRQ (bit 0): core no-powerdown request; no power model, stored.
  stored('DBGPRCR_EL1', 2, 0, 1, 4, 4, 'tdosa', 1, 0),
  {
    op0: 2, op1: 0, crn: 7, crm: 8, op2: 6, name: 'DBGCLAIMSET_EL1',
    read: constantRead(() => CLAIM_MASK, 'tda'),
    write: (cpu, lo) => { checkTraps(cpu, 'tda'); cpu.sysLo[KEY.CLAIM] |= lo & CLAIM_MASK; },
  },
  {
    op0: 2, op1: 0, crn: 7, crm: 9, op2: 6, name: 'DBGCLAIMCLR_EL1',
    read: constantRead((cpu) => cpu.sysLo[KEY.CLAIM], 'tda'),
    write: (cpu, lo) => { checkTraps(cpu, 'tda'); cpu.sysLo[KEY.CLAIM] &= ~(lo & CLAIM_MASK); },
  },
  {
    op0: 2, op1: 0, crn: 7, crm: 14, op2: 6, name: 'DBGAUTHSTATUS_EL1',
    read: constantRead((cpu) => AUTHSTATUS_NS | (cpu.config.hasEl3 ? AUTHSTATUS_S : 0), 'tda'),
  },
  {
    // MDCR_EL3 (Arm ARM D19.2.?): TDA and TDOSA are honoured above; TPM traps PMU registers, which
    // do not exist (PMUVer = 0) and are UNDEFINED anyway; SDD, SPD32, EDAD, EPMAD concern secure or
    // external debug, which is not implemented: setting them would change nothing, so they are kept.
    // SPD32 is RES0 without AArch32; bits of later features (SPME, STE, TTRF, ...) are RES0 on Armv8.0.
    op0: 3, op1: 6, crn: 1, crm: 3, op2: 1, name: 'MDCR_EL3',
    read: (cpu, t) => { cpu.xlo[t] = cpu.sysLo[KEY.MDCR_EL3]; cpu.xhi[t] = 0; },
    write: (cpu, lo) => { cpu.sysLo[KEY.MDCR_EL3] = lo & MDCR_EL3_MASK; },
  },
];
