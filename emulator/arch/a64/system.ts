// System instructions (Arm ARM C4.1.65 "Branches, Exception Generating and System instructions",
// C5 "The A64 System Instruction Class"): hints, barriers, CLREX, MSR (immediate), MRS/MSR
// (register), SYS/SYSL (DC, IC, AT, TLBI). Exception generation (SVC, HVC, ...) is in branch.ts.
//
// The whole op0/op1/CRn/CRm/op2 space is decoded so that the disassembler spells every word like
// objdump; encodings of features this core does not implement execute as UNDEFINED with a reason.
import type { Cpu } from '../../cpu/cpu';
import type { EncodingSpec } from '../encoding';
import { rz, wz } from '../../cpu/regs';
import { ins, xr } from '../disasm-util';
import { DC_ZVA_BYTES, HCR_TRAP, SCTLR_DZE, SCTLR_UMA, SYSREG_BY_KEY, sysregGenericName, sysTrap, type SysRegDef } from './system/sysreg-table';
import { EC, ESR_IL } from '../../cpu/exceptions';
import { el2Enabled, ISS_COND_AL } from '../../cpu/fp-traps';
import { SYS } from '../../cpu/system-state';
import { sysregName } from './system/sysreg-disasm';
import { disasmSys, disasmSysl, sysOpKey, sysOpName } from './system/sysop-disasm';
import { tlbMaintenanceHandlers } from './system/tlb-maintenance';

/** Bits [20:5]: op0:op1:CRn:CRm:op2, the key of the system-register tables. */
const sysKey = (i: number): number => (i >>> 5) & 0xffff;
const crm = (i: number): number => (i >>> 8) & 15;

// ------------------------------------------------------------------ MRS / MSR (register)

function mrs(cpu: Cpu, i: number): void {
  const d = SYSREG_BY_KEY[sysKey(i)];
  if (d === undefined || d.read === undefined) unimplementedSysreg(cpu, i, 'MRS');
  if (cpu.el <= MIN_EL[(i >>> 16) & 7] || cpu.el < 2) checkLowAccess(cpu, i, d, false);
  d.read(cpu, wz(i & 31));
}

function msr(cpu: Cpu, i: number): void {
  const d = SYSREG_BY_KEY[sysKey(i)];
  if (d === undefined || d.write === undefined) unimplementedSysreg(cpu, i, 'MSR');
  if (cpu.el <= MIN_EL[(i >>> 16) & 7] || cpu.el < 2) checkLowAccess(cpu, i, d, true);
  const t = rz(i & 31);
  d.write(cpu, cpu.xlo[t], cpu.xhi[t]);
}

/**
 * The lowest EL that may access a system register, from op1 (Arm ARM D17.1 "system register
 * encodings": op1 0-2 and 7 are EL1 registers, 3 are EL0-accessible, 4-5 EL2, 6 EL3).
 */
const MIN_EL = [1, 1, 1, 0, 2, 2, 3, 1];

/**
 * Checks an access at or below the register's minimum EL (the hot case, EL1 registers at EL1, costs
 * one comparison more): an EL2/EL3 register of an EL that does not exist is UNDEFINED; from
 * below the minimum EL it is UNDEFINED; EL0 accesses to op1=3 registers are allowed only for the
 * EL0-accessible ones, trapped to EL1 (EC 0x18, Arm ARM D17.2.37 ISS for MSR/MRS) when their
 * SCTLR_EL1 gate bit is clear.
 */
function checkLowAccess(cpu: Cpu, i: number, d: SysRegDef, write: boolean): void {
  const minEl = MIN_EL[(i >>> 16) & 7];
  if (!cpu.implementsEl(minEl)) cpu.undefinedInstruction(i, `${write ? 'MSR' : 'MRS'} ${d.name}: EL${minEl} is not implemented`);
  if (cpu.el < minEl || (cpu.el === 0 && (!d.el0 || (write && d.el0 !== 'rw')))) {
    cpu.undefinedInstruction(i, `${write ? 'MSR' : 'MRS'} ${d.name} at EL${cpu.el}`);
  }
  if (cpu.el === 0 && d.el0Gate !== undefined && (cpu.sysLo[SYS.SCTLR[1]] & d.el0Gate) === 0) {
    // The EL0 gate (to EL1, or EL2 with TGE) comes before the hypervisor's traps.
    sysTrap(cpu, i, cpu.routesEl0ToEl2() ? 2 : 1, write);
  }
  // HCR_EL2 traps of EL0/EL1 accesses (Arm ARM D13.2.46; per-register pseudocode).
  if (cpu.el < 2) {
    const bits = write ? d.hcrW : d.hcrR;
    if (bits !== undefined && (cpu.sysLo[SYS.HCR_EL2] & bits) !== 0 && el2Enabled(cpu)) sysTrap(cpu, i, 2, write);
  }
  d.trap?.(cpu, i, write);
}

function unimplementedSysreg(cpu: Cpu, i: number, op: 'MRS' | 'MSR'): never {
  const key = sysKey(i);
  // HCR_EL2.TIDCP: EL1 accesses to the IMPLEMENTATION DEFINED spaces (op0 = 3, CRn = 11 or 15)
  // trap to EL2 (EL0 accesses are UNDEFINED: the choice the Arm ARM leaves open). hvlab has no
  // such register, so without the trap they are UNDEFINED.
  const crn = (i >>> 12) & 15;
  if (cpu.el === 1 && ((i >>> 19) & 3) === 3 && (crn === 11 || crn === 15) &&
    (cpu.sysLo[SYS.HCR_EL2] & HCR_TRAP.TIDCP) !== 0 && el2Enabled(cpu)) sysTrap(cpu, i, 2, op === 'MSR');
  const d = SYSREG_BY_KEY[key];
  if (d) return cpu.undefinedInstruction(i, `${op} ${d.name}: register is ${op === 'MSR' ? 'read-only' : 'write-only'}`);
  const generic = sysregGenericName(key);
  const known = sysregName(key, op === 'MSR').toUpperCase();
  return cpu.undefinedInstruction(i, `${op} ${known === generic ? generic : `${known} (${generic})`} not implemented`);
}


/** MSR DAIFSet/DAIFClr at EL0 trap to EL1 unless SCTLR_EL1.UMA (Arm ARM C5.2.5, ISS as for MSR). */
function daifAccessFromEl0(cpu: Cpu, i: number): void {
  if (cpu.el !== 0 || (cpu.sysLo[SYS.SCTLR[1]] & SCTLR_UMA) !== 0) return;
  const iss = (((i >>> 5) & 7) << 17) | (((i >>> 16) & 7) << 14) | (4 << 10) | (31 << 5) | (((i >>> 8) & 15) << 1);
  cpu.exception(cpu.routesEl0ToEl2() ? 2 : 1, 'sync', (EC.SYSREG << 26) | ESR_IL | iss, cpu.pcLo, cpu.pcHi);
  cpu.abandon();
}

// ------------------------------------------------------------------ SYS (DC, IC, AT, TLBI)

const DC_ZVA = sysOpKey(3, 7, 4, 1);
/** SCTLR_EL1.UCI: EL0 may execute DC CVAU/CVAC/CIVAC and IC IVAU (else trapped to EL1). */
const SCTLR_UCI = 1 << 26;

/**
 * Cache maintenance (no caches are modelled, so no visible effect) and DC ZVA, with who may run
 * them and which HCR_EL2 bit traps them (Arm ARM C5.3 and the per-instruction pseudocode): the
 * op1 = 3 ones are EL0-accessible behind an SCTLR_EL1 gate, the op1 = 0 ones are EL1-only.
 */
const CACHE_OPS: readonly [key: number, el0Gate: number, hcr: number][] = [
  [sysOpKey(3, 7, 14, 1), SCTLR_UCI, HCR_TRAP.TPCP], // DC CIVAC
  [sysOpKey(3, 7, 10, 1), SCTLR_UCI, HCR_TRAP.TPCP], // DC CVAC
  [sysOpKey(3, 7, 11, 1), SCTLR_UCI, HCR_TRAP.TPU], // DC CVAU
  [sysOpKey(0, 7, 6, 1), 0, HCR_TRAP.TPCP], // DC IVAC
  [sysOpKey(0, 7, 6, 2), 0, HCR_TRAP.TSW], // DC ISW
  [sysOpKey(0, 7, 10, 2), 0, HCR_TRAP.TSW], // DC CSW
  [sysOpKey(0, 7, 14, 2), 0, HCR_TRAP.TSW], // DC CISW
  // IC: decoded pages are dropped when their memory is written, so there is nothing to invalidate.
  [sysOpKey(0, 7, 5, 0), 0, HCR_TRAP.TPU], // IC IALLU
  [sysOpKey(0, 7, 1, 0), 0, HCR_TRAP.TPU], // IC IALLUIS
  [sysOpKey(3, 7, 5, 1), SCTLR_UCI, HCR_TRAP.TPU], // IC IVAU
  [DC_ZVA, SCTLR_DZE, HCR_TRAP.TDZ],
];

/**
 * The access checks of a cache operation: UNDEFINED at EL0 for EL1-only ones; the EL0 gate
 * (to EL1, or EL2 with TGE) first; then the HCR_EL2 trap of EL0/EL1 to EL2.
 */
function cacheOpAllowed(cpu: Cpu, i: number, el0Gate: number, hcr: number): void {
  if (cpu.el >= 2) return;
  if (cpu.el === 0) {
    if (el0Gate === 0) cpu.undefinedInstruction(i, `${sysOpName((i >>> 5) & 0x3fff) ?? 'SYS'} at EL0`);
    if ((cpu.sysLo[SYS.SCTLR[1]] & el0Gate) === 0) sysTrap(cpu, i, cpu.routesEl0ToEl2() ? 2 : 1, true);
  }
  if ((cpu.sysLo[SYS.HCR_EL2] & hcr) !== 0 && el2Enabled(cpu)) sysTrap(cpu, i, 2, true);
}

/** DC ZVA: zero the naturally aligned DCZID_EL0-sized block holding the address in Xt. */
function dcZva(cpu: Cpu, i: number): void {
  const t = rz(i & 31);
  const lo = cpu.xlo[t] & -DC_ZVA_BYTES, hi = cpu.xhi[t];
  for (let off = 0; off < DC_ZVA_BYTES; off += 8) cpu.st64(lo + off, hi, 0, 0);
}

const sysNop = (): void => { /* no caches modelled */ };

function sysUndefined(cpu: Cpu, i: number): never {
  const key = (i >>> 5) & 0x3fff;
  const name = sysOpName(key);
  const generic = `SYS #${key >>> 11}, C${(key >>> 7) & 15}, C${(key >>> 3) & 15}, #${key & 7}`;
  if (name === undefined) return cpu.undefinedInstruction(i, `${generic}: unallocated system instruction`);
  if (name.startsWith('TLBI') || name.startsWith('AT ')) return cpu.undefinedInstruction(i, `${name}: not an Armv8.0 operation`);
  return cpu.undefinedInstruction(i, `${name}: feature not implemented`);
}

/** Handler per op1:CRn:CRm:op2 (SYS words are decoded once per address, then cached). */
const SYS_HANDLERS: ((cpu: Cpu, i: number) => void)[] = (() => {
  const h = new Array<(cpu: Cpu, i: number) => void>(1 << 14).fill(sysUndefined);
  for (const [k, gate, hcr] of CACHE_OPS) {
    const run = k === DC_ZVA ? dcZva : sysNop;
    h[k] = (cpu, i) => { cacheOpAllowed(cpu, i, gate, hcr); run(cpu, i); };
  }
  for (const [k, handler] of tlbMaintenanceHandlers()) h[k] = handler;
  return h;
})();

// ------------------------------------------------------------------ WFI / WFE traps

/** SCTLR_EL1.nTWI (bit 16) / nTWE (bit 18); SCR_EL3.TWI (12) / TWE (13). */
const SCTLR_NTWI = 1 << 16, SCTLR_NTWE = 1 << 18, SCR_TWI = 1 << 12, SCR_TWE = 1 << 13;

/**
 * The WFx traps of a WFI (ti = 0) or WFE (ti = 1) that would enter the low-power state, in the
 * Arm ARM's order (C6.2.389/390, AArch64.CheckForWFxTrap): EL0 by SCTLR_EL1.nTWx (to EL1, or EL2
 * with TGE); EL0/EL1 by HCR_EL2.TWx (to EL2); below EL3 by SCR_EL3.TWx (to EL3). The exception
 * (AArch64.WFxTrap) is EC 0x01 with CV = 1, COND = 0xE, TI; the return address is the WFx itself.
 */
function wfxTrap(cpu: Cpu, ti: 0 | 1): void {
  let target = 0;
  if (cpu.el === 0 && (cpu.sysLo[SYS.SCTLR[1]] & (ti ? SCTLR_NTWE : SCTLR_NTWI)) === 0) target = cpu.routesEl0ToEl2() ? 2 : 1;
  else if (cpu.el <= 1 && (cpu.sysLo[SYS.HCR_EL2] & (ti ? HCR_TRAP.TWE : HCR_TRAP.TWI)) !== 0 && el2Enabled(cpu)) target = 2;
  else if (cpu.el <= 2 && cpu.config.hasEl3 && (cpu.sysLo[SYS.SCR_EL3] & (ti ? SCR_TWE : SCR_TWI)) !== 0) target = 3;
  if (target === 0) return;
  cpu.exception(target, 'sync', (EC.WFX << 26) | ESR_IL | ISS_COND_AL | ti, cpu.pcLo, cpu.pcHi, undefined, `${ti ? 'WFE' : 'WFI'} trapped`);
  cpu.abandon();
}

// ------------------------------------------------------------------ hints, barriers, PSTATE

/** objdump's names in the HINT space (CRm:op2); the rest print as `hint #imm`. */
const HINT_NAMES: Record<number, string> = {
  0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 5: 'sevl', 7: 'xpaclri',
  8: 'pacia1716', 10: 'pacib1716', 12: 'autia1716', 14: 'autib1716',
  16: 'esb', 17: 'psb\tcsync', 18: 'tsb\tcsync', 20: 'csdb', 22: 'clearbhb',
  24: 'paciaz', 25: 'paciasp', 26: 'pacibz', 27: 'pacibsp', 28: 'autiaz', 29: 'autiasp', 30: 'autibz', 31: 'autibsp',
  32: 'bti', 34: 'bti\tc', 36: 'bti\tj', 38: 'bti\tjc',
};

/** DSB/DMB option names (CRm) as objdump prints them; reserved values print as `#0x08`. */
const BARRIER_OPTIONS = ['', 'oshld', 'oshst', 'osh', '', 'nshld', 'nshst', 'nsh', '', 'ishld', 'ishst', 'ish', '', 'ld', 'st', 'sy'];
function barrier(m: string, i: number): string {
  const o = crm(i);
  if (m === 'dsb' && o === 0) return 'ssbb';
  if (m === 'dsb' && o === 4) return 'pssbb';
  return ins(m, BARRIER_OPTIONS[o] || `#0x${o.toString(16).padStart(2, '0')}`);
}
const NXS_OPTIONS = ['oshnxs', 'nshnxs', 'ishnxs', 'synxs'];

const nop = (): void => { /* no architecturally visible effect in this model */ };
const undef = (reason: string) => (cpu: Cpu, i: number): never => cpu.undefinedInstruction(i, reason);

/** An instruction of a feature this core does not have: decoded, so it disassembles, and UNDEFINED. */
function absent(name: string, pattern: string, feature: string, disasm: EncodingSpec['disasm']): EncodingSpec {
  return { name, cls: 'system', pattern, exec: undef(`${name}: ${feature} not implemented`), fuzzOk: never, disasm };
}
const imm4 = (i: number): string => `#0x${crm(i).toString(16)}`;

// MSR (immediate) with a PSTATE field: op1, op2 and CRm (the immediate) from the word.
const pstate = (name: string, i: number): string => ins('msr', name, imm4(i));

// --- differential-fuzzer filters: QEMU's `max` CPU has more features and other ID values, and
// some operations (SPSel banking, CPACR traps, DC ZVA at random addresses, WFI) cannot be compared.
const never = (): boolean => false;
const FUZZ_MRS = new Set(['NZCV', 'DAIF', 'SPSEL', 'CURRENTEL', 'FPCR', 'FPSR', 'TPIDR_EL0', 'TPIDRRO_EL0', 'TPIDR_EL1', 'CPACR_EL1', 'DCZID_EL0', 'MPIDR_EL1']);
const FUZZ_MSR = new Set(['NZCV', 'TPIDR_EL0', 'TPIDRRO_EL0', 'TPIDR_EL1']);
const fuzzSysreg = (names: Set<string>) => (i: number): boolean => names.has(SYSREG_BY_KEY[sysKey(i)]?.name ?? '');

export const SYSTEM: EncodingSpec[] = [
  // --- catch-alls: unallocated words in each quarter of the space, spelled as objdump does ---
  {
    name: 'SYS_op0_0_unallocated', cls: 'system', pattern: '1101010100000pppnnnnmmmmqqqttttt',
    exec: (cpu, i) => cpu.undefinedInstruction(i, `${sysregGenericName(sysKey(i))}: unallocated system instruction`), fuzzOk: never,
    disasm: (i) => ins('msr', sysregName(sysKey(i), true), xr(i & 31)),
  },
  {
    name: 'SYSL_op0_0_unallocated', cls: 'system', pattern: '1101010100100pppnnnnmmmmqqqttttt',
    exec: (cpu, i) => cpu.undefinedInstruction(i, `${sysregGenericName(sysKey(i))}: unallocated system instruction`), fuzzOk: never,
    disasm: (i) => ins('mrs', xr(i & 31), sysregName(sysKey(i), false)),
  },
  {
    name: 'MRS', cls: 'system', pattern: '110101010011opppnnnnmmmmqqqttttt',
    exec: mrs, fuzzOk: fuzzSysreg(FUZZ_MRS),
    disasm: (i) => ins('mrs', xr(i & 31), sysregName(sysKey(i), false)),
  },
  {
    name: 'MSR_reg', cls: 'system', pattern: '110101010001opppnnnnmmmmqqqttttt',
    exec: msr, fuzzOk: fuzzSysreg(FUZZ_MSR),
    disasm: (i) => ins('msr', sysregName(sysKey(i), true), xr(i & 31)),
  },
  {
    name: 'SYS', cls: 'system', pattern: '1101010100001pppnnnnmmmmqqqttttt',
    exec: (cpu, i) => SYS_HANDLERS[(i >>> 5) & 0x3fff](cpu, i), fuzzOk: never,
    disasm: disasmSys,
  },
  {
    // No SYSL operation is allocated in this architecture profile.
    name: 'SYSL', cls: 'system', pattern: '1101010100101pppnnnnmmmmqqqttttt',
    exec: undef('SYSL: no system instruction with result is implemented'), fuzzOk: never,
    disasm: disasmSysl,
  },

  // --- hints: every HINT #imm is a NOP unless it names an implemented feature ---
  {
    // WFI (Arm ARM C6.2.390, D1.16): with an interrupt pending (masked or not) it completes at
    // once; otherwise it is trapped if a higher EL asks for it (wfxTrap), else the PE sleeps after
    // it until an interrupt line rises, and the board skips virtual time meanwhile.
    name: 'WFI', cls: 'system', pattern: '11010101000000110010000001111111',
    exec: (cpu) => {
      if (cpu.interruptPending()) return;
      wfxTrap(cpu, 0);
      cpu.waitingForInterrupt = true;
      cpu.endBlockAfterThis();
    },
    fuzzOk: never, // would sleep forever on QEMU
    disasm: () => 'wfi',
  },
  {
    // WFE (Arm ARM C6.2.389, D1.16 "Wait for Event mechanism and Send event"): with the Event
    // Register set it clears it and completes; with an interrupt that would be taken it completes;
    // otherwise the PE sleeps until a WFE wake-up event (cpu.ts waitingForEvent; the board wakes
    // it for SEV, a global monitor clear, the timer event stream, or an interrupt it would take).
    name: 'WFE', cls: 'system', pattern: '11010101000000110010000001011111',
    exec: (cpu) => {
      if (cpu.consumeEvent() || cpu.interruptWouldBeTaken()) return;
      wfxTrap(cpu, 1);
      cpu.waitingForInterrupt = true;
      cpu.waitingForEvent = true;
      cpu.endBlockAfterThis();
    },
    fuzzOk: never, // QEMU treats WFE as a yield; here it may sleep
    disasm: () => 'wfe',
  },
  {
    // SEV: an event to every PE of the system, this one included (the board broadcasts it).
    name: 'SEV', cls: 'system', pattern: '11010101000000110010000010011111',
    exec: (cpu) => { if (cpu.env.sendEvent) cpu.env.sendEvent(cpu); else cpu.sendEvent(); },
    disasm: () => 'sev',
  },
  {
    name: 'SEVL', cls: 'system', pattern: '11010101000000110010000010111111',
    exec: (cpu) => { cpu.eventRegister = 1; },
    disasm: () => 'sevl',
  },
  {
    // PAC, BTI, ESB, PSB, TSB, CSDB, CLEARBHB (features absent) and the unallocated hints are NOPs.
    name: 'HINT', cls: 'system', pattern: '11010101000000110010mmmmooo11111',
    exec: nop, fuzzOk: (i) => ((i >>> 5) & 0x7f) !== 3, // WFI would wait forever on QEMU
    disasm: (i) => HINT_NAMES[(i >>> 5) & 0x7f] ?? ins('hint', `#0x${((i >>> 5) & 0x7f).toString(16)}`),
  },

  // --- barriers: memory accesses already complete in program order, one core at a time ---
  {
    name: 'CLREX', cls: 'system', pattern: '11010101000000110011mmmm01011111',
    exec: (cpu) => { cpu.exclusiveValid = false; },
    disasm: (i) => crm(i) === 15 ? 'clrex' : ins('clrex', imm4(i)),
  },
  {
    name: 'DSB', cls: 'system', pattern: '11010101000000110011mmmm10011111',
    exec: nop,
    disasm: (i) => barrier('dsb', i),
  },
  {
    name: 'DMB', cls: 'system', pattern: '11010101000000110011mmmm10111111',
    exec: nop,
    disasm: (i) => barrier('dmb', i),
  },
  {
    // No out-of-order execution or prefetch: every instruction already sees the effects of the
    // ones before it (context synchronization is implicit).
    name: 'ISB', cls: 'system', pattern: '11010101000000110011mmmm11011111',
    exec: nop,
    disasm: (i) => crm(i) === 15 ? 'isb' : ins('isb', imm4(i)),
  },
  {
    name: 'DSB_nXS', cls: 'system', pattern: '11010101000000110011ii1000111111',
    exec: undef('DSB nXS: FEAT_XS not implemented'), fuzzOk: never,
    disasm: (i) => ins('dsb', NXS_OPTIONS[(i >>> 10) & 3]),
  },
  absent('SB', '11010101000000110011000011111111', 'FEAT_SB', () => 'sb'),
  absent('TCOMMIT', '11010101000000110011000001111111', 'FEAT_TME', () => 'tcommit'),
  absent('TSTART', '110101010010001100110000011ttttt', 'FEAT_TME', (i) => ins('tstart', xr(i & 31))),
  absent('TTEST', '110101010010001100110001011ttttt', 'FEAT_TME', (i) => ins('ttest', xr(i & 31))),
  absent('WFET', '110101010000001100010000000ttttt', 'FEAT_WFxT', (i) => ins('wfet', xr(i & 31))),
  absent('WFIT', '110101010000001100010000001ttttt', 'FEAT_WFxT', (i) => ins('wfit', xr(i & 31))),

  // --- PSTATE: MSR (immediate) and the flag-manipulation instructions ---
  absent('CFINV', '11010101000000000100000000011111', 'FEAT_FlagM', () => 'cfinv'),
  absent('XAFLAG', '11010101000000000100000000111111', 'FEAT_FlagM2', () => 'xaflag'),
  absent('AXFLAG', '11010101000000000100000001011111', 'FEAT_FlagM2', () => 'axflag'),
  {
    name: 'MSR_imm_DAIFSet', cls: 'system', pattern: '11010101000000110100mmmm11011111',
    exec: (cpu, i) => { daifAccessFromEl0(cpu, i); cpu.daif |= crm(i) << 6; },
    disasm: (i) => pstate('daifset', i),
  },
  {
    name: 'MSR_imm_DAIFClr', cls: 'system', pattern: '11010101000000110100mmmm11111111',
    // Unmasking may let a pending interrupt in before the next instruction.
    exec: (cpu, i) => { daifAccessFromEl0(cpu, i); cpu.daif &= ~(crm(i) << 6); cpu.endBlockAfterThis(); },
    disasm: (i) => pstate('daifclr', i),
  },
  {
    name: 'MSR_imm_SPSel', cls: 'system', pattern: '11010101000000000100000m10111111',
    exec: (cpu, i) => (cpu.el === 0 ? cpu.undefinedInstruction(i, 'MSR SPSel at EL0') : cpu.setPstate(cpu.el, crm(i) & 1)), fuzzOk: never,
    disasm: (i) => pstate('spsel', i),
  },
  {
    // FEAT_PAN (Arm ARM C5.2.?, MSR (immediate) PSTATEField_PAN): PSTATE.PAN = CRm<0>; op1 = 000
    // makes it UNDEFINED at EL0. The new PAN selects another translation context at once.
    name: 'MSR_imm_PAN', cls: 'system', pattern: '11010101000000000100000m10011111',
    exec: (cpu, i) => (cpu.el === 0 ? cpu.undefinedInstruction(i, 'MSR PAN at EL0') : cpu.setPan(crm(i) & 1)), fuzzOk: never,
    disasm: (i) => pstate('pan', i),
  },
  // MSR (immediate) to PSTATE fields of features this core does not have: UNDEFINED, named.
  ...([
    ['UAO', '11010101000000000100000m01111111', 'FEAT_UAO'],
    ['ALLINT', '11010101000000010100000m00011111', 'FEAT_NMI'],
    ['SSBS', '11010101000000110100000m00111111', 'FEAT_SSBS'],
    ['DIT', '11010101000000110100000m01011111', 'FEAT_DIT'],
    ['TCO', '11010101000000110100000m10011111', 'FEAT_MTE'],
  ] as const).map(([field, pattern, feature]): EncodingSpec => ({
    name: `MSR_imm_${field}`, cls: 'system', pattern,
    exec: undef(`MSR ${field}: ${feature} not implemented`), fuzzOk: never,
    disasm: (i) => pstate(field.toLowerCase(), i),
  })),
  ...['11010101000000110100001m01111111', '1101010100000011010001mm01111111'].map((pattern, k): EncodingSpec => ({
    // SMSTART/SMSTOP = MSR SVCR*, #imm (CRm = 001x / 010x / 011x).
    name: `MSR_imm_SVCR_${k}`, cls: 'system', pattern,
    exec: undef('SMSTART/SMSTOP: FEAT_SME not implemented'), fuzzOk: never,
    disasm: (i) => {
      const m = crm(i);
      return ins(m & 1 ? 'smstart' : 'smstop', ...(m >>> 1 === 1 ? ['sm'] : m >>> 1 === 2 ? ['za'] : []));
    },
  })),
];
