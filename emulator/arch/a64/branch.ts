// Branches, exception generation (Arm ARM C4.1.65 "Branches, Exception Generating and System
// instructions"): B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET, SVC/HVC/SMC/BRK/HLT.
import type { Cpu } from '../../cpu/cpu';
import type { EncodingSpec } from '../encoding';
import { rz } from '../../cpu/regs';
import { EC, ESR_IL, exceptionReturn } from '../../cpu/exceptions';
import { HCR, SCR, SYS } from '../../cpu/system-state';
import { ins, reg, sext, target, xr } from '../disasm-util';

/** ConditionHolds (Arm ARM J1, shared/functions/system/ConditionHolds). */
export function conditionHolds(cpu: Cpu, cond: number): boolean {
  let r: boolean;
  switch (cond >>> 1) {
    case 0: r = cpu.z === 1; break;
    case 1: r = cpu.c === 1; break;
    case 2: r = cpu.n === 1; break;
    case 3: r = cpu.v === 1; break;
    case 4: r = cpu.c === 1 && cpu.z === 0; break;
    case 5: r = cpu.n === cpu.v; break;
    case 6: r = cpu.n === cpu.v && cpu.z === 0; break;
    default: return true; // AL and NV both mean "always" in A64
  }
  return (cond & 1) === 1 ? !r : r;
}

/** X30 := address of the next instruction. */
function link(cpu: Cpu): void {
  const lo = (cpu.pcLo >>> 0) + 4;
  cpu.xlo[30] = lo | 0;
  cpu.xhi[30] = lo === 4294967296 ? (cpu.pcHi + 1) | 0 : cpu.pcHi;
}

// objdump spells carry conditions cs/cc for B.cond and lists the SVE-style aliases in a comment.
const B_COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
const B_COND_ALIASES = ['b.none', 'b.any', 'b.hs, b.nlast', 'b.lo, b.ul, b.last', 'b.first', 'b.nfrst', '', '', 'b.pmore', 'b.plast', 'b.tcont', 'b.tstop', '', '', '', ''];

const imm26 = (i: number): number => sext(i & 0x3ffffff, 26) * 4;
const imm19 = (i: number): number => sext((i >>> 5) & 0x7ffff, 19) * 4;
const imm14 = (i: number): number => sext((i >>> 5) & 0x3fff, 14) * 4;

export const BRANCH: EncodingSpec[] = [
  {
    name: 'B', cls: 'branch', branch: true, pattern: '000101iiiiiiiiiiiiiiiiiiiiiiiiii',
    exec: (cpu, i) => cpu.branchRelative(imm26(i)),
    disasm: (i, lo, hi) => ins('b', target(lo, hi, imm26(i))),
  },
  {
    name: 'BL', cls: 'branch', branch: true, pattern: '100101iiiiiiiiiiiiiiiiiiiiiiiiii',
    exec: (cpu, i) => { link(cpu); cpu.branchRelative(imm26(i)); },
    disasm: (i, lo, hi) => ins('bl', target(lo, hi, imm26(i))),
  },
  {
    name: 'B_cond', cls: 'branch', branch: true, pattern: '01010100iiiiiiiiiiiiiiiiiii0cccc',
    exec: (cpu, i) => { if (conditionHolds(cpu, i & 15)) cpu.branchRelative(imm19(i)); },
    disasm: (i, lo, hi) => {
      const text = ins(`b.${B_COND[i & 15]}`, target(lo, hi, imm19(i)));
      const aliases = B_COND_ALIASES[i & 15];
      return aliases ? `${text}\t// ${aliases}` : text;
    },
  },
  {
    name: 'CBZ', cls: 'branch', branch: true, pattern: 'z0110100iiiiiiiiiiiiiiiiiiittttt',
    exec: (cpu, i) => {
      const t = rz(i & 31);
      if (cpu.xlo[t] === 0 && (i >= 0 || cpu.xhi[t] === 0)) cpu.branchRelative(imm19(i));
    },
    disasm: (i, lo, hi) => ins('cbz', reg(i & 31, i < 0), target(lo, hi, imm19(i))),
  },
  {
    name: 'CBNZ', cls: 'branch', branch: true, pattern: 'z0110101iiiiiiiiiiiiiiiiiiittttt',
    exec: (cpu, i) => {
      const t = rz(i & 31);
      if (cpu.xlo[t] !== 0 || (i < 0 && cpu.xhi[t] !== 0)) cpu.branchRelative(imm19(i));
    },
    disasm: (i, lo, hi) => ins('cbnz', reg(i & 31, i < 0), target(lo, hi, imm19(i))),
  },
  {
    name: 'TBZ', cls: 'branch', branch: true, pattern: 'b0110110bbbbbiiiiiiiiiiiiiittttt',
    exec: (cpu, i) => { if (testBit(cpu, i) === 0) cpu.branchRelative(imm14(i)); },
    disasm: (i, lo, hi) => tbDisasm('tbz', i, lo, hi),
  },
  {
    name: 'TBNZ', cls: 'branch', branch: true, pattern: 'b0110111bbbbbiiiiiiiiiiiiiittttt',
    exec: (cpu, i) => { if (testBit(cpu, i) !== 0) cpu.branchRelative(imm14(i)); },
    disasm: (i, lo, hi) => tbDisasm('tbnz', i, lo, hi),
  },
  {
    name: 'BR', cls: 'branch', branch: true, pattern: '1101011000011111000000nnnnn00000',
    exec: (cpu, i) => { const n = rz((i >>> 5) & 31); cpu.branchTo(cpu.xlo[n], cpu.xhi[n]); },
    disasm: (i) => ins('br', xr((i >>> 5) & 31)),
  },
  {
    name: 'BLR', cls: 'branch', branch: true, pattern: '1101011000111111000000nnnnn00000',
    exec: (cpu, i) => {
      const n = rz((i >>> 5) & 31);
      const lo = cpu.xlo[n], hi = cpu.xhi[n]; // read before the link write: BLR X30 is allowed
      link(cpu);
      cpu.branchTo(lo, hi);
    },
    disasm: (i) => ins('blr', xr((i >>> 5) & 31)),
  },
  {
    name: 'RET', cls: 'branch', branch: true, pattern: '1101011001011111000000nnnnn00000',
    exec: (cpu, i) => { const n = rz((i >>> 5) & 31); cpu.branchTo(cpu.xlo[n], cpu.xhi[n]); },
    disasm: (i) => ((i >>> 5) & 31) === 30 ? 'ret' : ins('ret', xr((i >>> 5) & 31)),
  },
];

function testBit(cpu: Cpu, i: number): number {
  const b = ((i >>> 26) & 0x20) | ((i >>> 19) & 0x1f);
  const t = rz(i & 31);
  return b < 32 ? (cpu.xlo[t] >>> b) & 1 : (cpu.xhi[t] >>> (b - 32)) & 1;
}

function tbDisasm(m: string, i: number, lo: number, hi: number): string {
  const b = ((i >>> 26) & 0x20) | ((i >>> 19) & 0x1f);
  return ins(m, reg(i & 31, b >= 32), `#${b}`, target(lo, hi, imm14(i)));
}

// Exception generation (Arm ARM C6.2: SVC, HVC, SMC, BRK, HLT) and ERET. HVC/SMC are first offered
// to the board's firmware conduit (PSCI, as QEMU provides it when no EL2/EL3 firmware runs); what
// the board does not take follows the architecture (Arm ARM D1.10.? "Exception generating").
const imm16 = (i: number): number => (i >>> 5) & 0xffff;
const hex16 = (i: number): string => `#0x${imm16(i).toString(16)}`;

/** Preferred return address = the next instruction (SVC/HVC/SMC complete before the exception). */
function nextLo(cpu: Cpu): number { return (cpu.pcLo + 4) | 0; }
function nextHi(cpu: Cpu): number { return cpu.pcLo === -4 ? (cpu.pcHi + 1) | 0 : cpu.pcHi; }

function svc(cpu: Cpu, i: number): void {
  const target = cpu.el === 0 ? (cpu.routesEl0ToEl2() ? 2 : 1) : cpu.el;
  cpu.exception(target, 'sync', (EC.SVC64 << 26) | ESR_IL | imm16(i), nextLo(cpu), nextHi(cpu));
}

function hvc(cpu: Cpu, i: number): void {
  if (cpu.el === 0) return cpu.undefinedInstruction(i, 'HVC at EL0');
  // HCR_EL2.HCD (only without EL3; with EL3, SCR_EL3.HCE decides) makes HVC UNDEFINED at EL1/EL2.
  if (cpu.config.hasEl2 && !cpu.config.hasEl3 && cpu.el <= 2 && (cpu.sysLo[SYS.HCR_EL2] & HCR.HCD) !== 0) return cpu.undefinedInstruction(i, 'HVC disabled by HCR_EL2.HCD');
  if (cpu.env.hypervisorCall(cpu, 'hvc', imm16(i))) return;
  // UNDEFINED without EL2, or when EL3 disables it (SCR_EL3.HCE = 0) (Arm ARM C6.2.108).
  if (!cpu.config.hasEl2 || (cpu.config.hasEl3 && (cpu.sysLo[SYS.SCR_EL3] & SCR.HCE) === 0)) return cpu.undefinedInstruction(i, 'HVC: EL2 is not implemented or not enabled');
  const target = cpu.el === 3 ? 3 : 2;
  cpu.exception(target, 'sync', (EC.HVC64 << 26) | ESR_IL | imm16(i), nextLo(cpu), nextHi(cpu));
}

function smc(cpu: Cpu, i: number): void {
  if (cpu.el === 0) return cpu.undefinedInstruction(i, 'SMC at EL0');
  // HCR_EL2.TSC traps SMC from EL1 to EL2 before anything else; the return address is the SMC itself.
  if (cpu.el === 1 && cpu.config.hasEl2 && (cpu.sysLo[SYS.HCR_EL2] & HCR.TSC) !== 0) {
    cpu.exception(2, 'sync', (EC.SMC64 << 26) | ESR_IL | imm16(i), cpu.pcLo, cpu.pcHi);
    return;
  }
  if (cpu.env.hypervisorCall(cpu, 'smc', imm16(i))) return;
  if (!cpu.config.hasEl3 || (cpu.sysLo[SYS.SCR_EL3] & SCR.SMD) !== 0) return cpu.undefinedInstruction(i, 'SMC: EL3 is not implemented or SMC is disabled');
  cpu.exception(3, 'sync', (EC.SMC64 << 26) | ESR_IL | imm16(i), nextLo(cpu), nextHi(cpu));
}

export const EXCEPTION_GEN: EncodingSpec[] = [
  {
    name: 'SVC', cls: 'system', branch: true, pattern: '11010100000iiiiiiiiiiiiiiii00001',
    exec: svc,
    disasm: (i) => ins('svc', hex16(i)),
  },
  {
    name: 'HVC', cls: 'system', branch: true, pattern: '11010100000iiiiiiiiiiiiiiii00010',
    exec: hvc,
    disasm: (i) => ins('hvc', hex16(i)),
  },
  {
    name: 'SMC', cls: 'system', branch: true, pattern: '11010100000iiiiiiiiiiiiiiii00011',
    exec: smc,
    disasm: (i) => ins('smc', hex16(i)),
  },
  {
    // BRK: a Breakpoint Instruction exception; the preferred return address is the BRK itself.
    name: 'BRK', cls: 'system', branch: true, pattern: '11010100001iiiiiiiiiiiiiiii00000',
    exec: (cpu, i) => cpu.exception(cpu.debugTargetEl(), 'sync', (EC.BRK64 << 26) | ESR_IL | imm16(i), cpu.pcLo, cpu.pcHi),
    disasm: (i) => ins('brk', hex16(i)),
  },
  {
    // HLT is UNDEFINED unless halting debug is enabled (EDSCR.HDE), which no debugger here sets.
    name: 'HLT', cls: 'system', branch: true, pattern: '11010100010iiiiiiiiiiiiiiii00000',
    exec: (cpu, i) => cpu.undefinedInstruction(i, 'HLT: halting debug is not enabled'),
    disasm: (i) => ins('hlt', hex16(i)),
  },
  {
    name: 'ERET', cls: 'system', branch: true, pattern: '11010110100111110000001111100000',
    exec: (cpu, i) => (cpu.el === 0 ? cpu.undefinedInstruction(i, 'ERET at EL0') : exceptionReturn(cpu)),
    disasm: () => 'eret',
  },
];
