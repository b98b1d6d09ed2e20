// Data processing -- register (Arm ARM C4.1.68), part 1: logical (shifted register), add/subtract
// (shifted register, extended register, with carry), conditional compare, conditional select.
import type { Cpu } from '../../../cpu/cpu';
import type { EncodingSpec, Exec } from '../../encoding';
import { rz, wz, SINK } from '../../../cpu/regs';
import { EXTEND, ins, reg, SHIFT } from '../../disasm-util';
import { conditionHolds } from '../branch';
import { add64, adds32, adds64, condComment, condName, nzLogic32, nzLogic64, undefText } from './common';

// ---- shared operand helpers ------------------------------------------------------------------

/** Result of shift64 / extend64 (module-level, so the hot path allocates nothing). */
export let OLO = 0, OHI = 0;

/** (OLO, OHI) := ShiftReg of lo:hi by `amt` (0..63) with shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR. */
export function shift64(lo: number, hi: number, type: number, amt: number): void {
  if (amt === 0) { OLO = lo; OHI = hi; return; }
  switch (type) {
    case 0:
      if (amt < 32) { OHI = (hi << amt) | (lo >>> (32 - amt)); OLO = lo << amt; } else { OHI = lo << (amt - 32); OLO = 0; }
      return;
    case 1:
      if (amt < 32) { OLO = (lo >>> amt) | (hi << (32 - amt)); OHI = hi >>> amt | 0; } else { OLO = hi >>> (amt - 32) | 0; OHI = 0; }
      return;
    case 2:
      if (amt < 32) { OLO = (lo >>> amt) | (hi << (32 - amt)); OHI = hi >> amt; } else { OLO = hi >> (amt - 32); OHI = hi >> 31; }
      return;
    default:
      if (amt >= 32) { const t = lo; lo = hi; hi = t; amt -= 32; }
      if (amt === 0) { OLO = lo; OHI = hi; return; }
      OLO = (lo >>> amt) | (hi << (32 - amt));
      OHI = (hi >>> amt) | (lo << (32 - amt));
  }
}

/** ShiftReg of a 32-bit value by `amt` (0..31). */
export function shift32(v: number, type: number, amt: number): number {
  switch (type) {
    case 0: return v << amt;
    case 1: return v >>> amt | 0;
    case 2: return v >> amt;
    default: return amt === 0 ? v : (v >>> amt) | (v << (32 - amt));
  }
}

/** (OLO, OHI) := the shifted-register operand Rm of a 64-bit instruction. */
function sreg64(cpu: Cpu, i: number): void {
  const m = rz((i >>> 16) & 31);
  shift64(cpu.xlo[m], cpu.xhi[m], (i >>> 22) & 3, (i >>> 10) & 63);
}
/** The shifted-register operand Rm of a 32-bit instruction. */
function sreg32(cpu: Cpu, i: number): number {
  return shift32(cpu.xlo[rz((i >>> 16) & 31)], (i >>> 22) & 3, (i >>> 10) & 31);
}

/** (OLO, OHI) := ExtendReg(Rm, option, imm3) for a 64-bit instruction. */
function ereg64(cpu: Cpu, i: number): void {
  const m = rz((i >>> 16) & 31), sh = (i >>> 10) & 7;
  let lo = cpu.xlo[m], hi = 0;
  switch ((i >>> 13) & 7) {
    case 0: lo &= 0xff; break;
    case 1: lo &= 0xffff; break;
    case 2: break;
    case 3: hi = cpu.xhi[m]; break;
    case 4: lo = (lo << 24) >> 24; hi = lo >> 31; break;
    case 5: lo = (lo << 16) >> 16; hi = lo >> 31; break;
    case 6: hi = lo >> 31; break;
    default: hi = cpu.xhi[m];
  }
  if (sh === 0) { OLO = lo; OHI = hi; return; }
  OHI = (hi << sh) | (lo >>> (32 - sh));
  OLO = lo << sh;
}
/** ExtendReg(Rm, option, imm3) for a 32-bit instruction. */
function ereg32(cpu: Cpu, i: number): number {
  let v = cpu.xlo[rz((i >>> 16) & 31)];
  switch ((i >>> 13) & 7) {
    case 0: v &= 0xff; break;
    case 1: v &= 0xffff; break;
    case 4: v = (v << 24) >> 24; break;
    case 5: v = (v << 16) >> 16; break;
    default: break;
  }
  return v << ((i >>> 10) & 7);
}

/** `, lsl #3` etc. for a shifted-register operand; nothing for LSL #0. */
function shiftText(i: number): string[] {
  const t = (i >>> 22) & 3, a = (i >>> 10) & 63;
  return t === 0 && a === 0 ? [] : [`${SHIFT[t]} #${a}`];
}

// ---- Logical (shifted register) --------------------------------------------------------------
// sf opc 01010 shift N Rm imm6 Rn Rd; 32-bit with imm6<5> = 1 is UNDEFINED.

const LOG_NAMES = ['and', 'bic', 'orr', 'orn', 'eor', 'eon', 'ands', 'bics'];

function logShiftText(i: number): string {
  const sf = i < 0, opc = (i >>> 29) & 3, nb = (i >>> 21) & 1;
  const m = (i >>> 16) & 31, n = (i >>> 5) & 31, d = i & 31;
  if (!sf && (i & 0x8000)) return undefText(i);
  const sh = shiftText(i);
  if (opc === 1 && nb === 0 && n === 31 && sh.length === 0) return ins('mov', reg(d, sf), reg(m, sf));
  if (opc === 1 && nb === 1 && n === 31) return ins('mvn', reg(d, sf), reg(m, sf), ...sh);
  if (opc === 3 && nb === 0 && d === 31) return ins('tst', reg(n, sf), reg(m, sf), ...sh);
  return ins(LOG_NAMES[opc * 2 + nb], reg(d, sf), reg(n, sf), reg(m, sf), ...sh);
}

const ls32FuzzOk = (i: number): boolean => (i & 0x8000) === 0;
function ls32(cpu: Cpu, i: number): number {
  if (i & 0x8000) cpu.undefinedInstruction(i, 'logical (shifted register): imm6<5> set in 32-bit form');
  return sreg32(cpu, i);
}

// The handlers are written out one per encoding (not built from a shared closure over an `op`
// function), so that no call site inside a hot handler is polymorphic.
const L32 = (name: string, pattern: string, exec: Exec): EncodingSpec => ({ name, pattern, cls: 'dp-reg', exec, disasm: logShiftText, fuzzOk: ls32FuzzOk });
const L64 = (name: string, pattern: string, exec: Exec): EncodingSpec => ({ name, pattern, cls: 'dp-reg', exec, disasm: logShiftText });
const rn32 = (cpu: Cpu, i: number): number => cpu.xlo[rz((i >>> 5) & 31)];
function setW(cpu: Cpu, i: number, v: number): void { const d = wz(i & 31); cpu.xlo[d] = v; cpu.xhi[d] = 0; }
function setWS(cpu: Cpu, i: number, v: number): void { nzLogic32(cpu, v); setW(cpu, i, v); }
function setX(cpu: Cpu, i: number, lo: number, hi: number): void { const d = wz(i & 31); cpu.xlo[d] = lo; cpu.xhi[d] = hi; }
function setXS(cpu: Cpu, i: number, lo: number, hi: number): void { nzLogic64(cpu, lo, hi); setX(cpu, i, lo, hi); }

const LOGICAL_SHIFTED: EncodingSpec[] = [
  L32('AND_32_log_shift', '00001010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setW(cpu, i, rn32(cpu, i) & b); }),
  L32('BIC_32_log_shift', '00001010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setW(cpu, i, rn32(cpu, i) & ~b); }),
  L32('ORR_32_log_shift', '00101010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setW(cpu, i, rn32(cpu, i) | b); }),
  L32('ORN_32_log_shift', '00101010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setW(cpu, i, rn32(cpu, i) | ~b); }),
  L32('EOR_32_log_shift', '01001010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setW(cpu, i, rn32(cpu, i) ^ b); }),
  L32('EON_32_log_shift', '01001010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setW(cpu, i, rn32(cpu, i) ^ ~b); }),
  L32('ANDS_32_log_shift', '01101010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setWS(cpu, i, rn32(cpu, i) & b); }),
  L32('BICS_32_log_shift', '01101010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => { const b = ls32(cpu, i); setWS(cpu, i, rn32(cpu, i) & ~b); }),
  L64('AND_64_log_shift', '10001010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setX(cpu, i, cpu.xlo[n] & OLO, cpu.xhi[n] & OHI);
  }),
  L64('BIC_64_log_shift', '10001010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setX(cpu, i, cpu.xlo[n] & ~OLO, cpu.xhi[n] & ~OHI);
  }),
  L64('ORR_64_log_shift', '10101010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setX(cpu, i, cpu.xlo[n] | OLO, cpu.xhi[n] | OHI);
  }),
  L64('ORN_64_log_shift', '10101010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setX(cpu, i, cpu.xlo[n] | ~OLO, cpu.xhi[n] | ~OHI);
  }),
  L64('EOR_64_log_shift', '11001010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setX(cpu, i, cpu.xlo[n] ^ OLO, cpu.xhi[n] ^ OHI);
  }),
  L64('EON_64_log_shift', '11001010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setX(cpu, i, cpu.xlo[n] ^ ~OLO, cpu.xhi[n] ^ ~OHI);
  }),
  L64('ANDS_64_log_shift', '11101010ss0mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setXS(cpu, i, cpu.xlo[n] & OLO, cpu.xhi[n] & OHI);
  }),
  L64('BICS_64_log_shift', '11101010ss1mmmmmiiiiiinnnnnddddd', (cpu, i) => {
    sreg64(cpu, i); const n = rz((i >>> 5) & 31); setXS(cpu, i, cpu.xlo[n] & ~OLO, cpu.xhi[n] & ~OHI);
  }),
];

// ---- Add/subtract (shifted register) ---------------------------------------------------------
// sf op S 01011 shift 0 Rm imm6 Rn Rd; shift = 11 and (32-bit) imm6<5> = 1 are UNDEFINED.

function addSubShiftText(i: number): string {
  const sf = i < 0, op = (i >>> 30) & 1, s = (i >>> 29) & 1;
  const m = (i >>> 16) & 31, n = (i >>> 5) & 31, d = i & 31;
  if (((i >>> 22) & 3) === 3 || (!sf && (i & 0x8000))) return undefText(i);
  const sh = shiftText(i);
  if (s === 1 && d === 31) return ins(op ? 'cmp' : 'cmn', reg(n, sf), reg(m, sf), ...sh);
  if (op === 1 && n === 31) return ins(s ? 'negs' : 'neg', reg(d, sf), reg(m, sf), ...sh);
  return ins((op ? 'sub' : 'add') + (s ? 's' : ''), reg(d, sf), reg(n, sf), reg(m, sf), ...sh);
}

const as32FuzzOk = (i: number): boolean => (i & 0x8000) === 0 && ((i >>> 22) & 3) !== 3;
const as64FuzzOk = (i: number): boolean => ((i >>> 22) & 3) !== 3;
function as32(cpu: Cpu, i: number): number {
  if ((i & 0x8000) !== 0 || ((i >>> 22) & 3) === 3) cpu.undefinedInstruction(i, 'add/sub (shifted register): reserved shift or amount');
  return sreg32(cpu, i);
}
function as64(cpu: Cpu, i: number): void {
  if (((i >>> 22) & 3) === 3) cpu.undefinedInstruction(i, 'add/sub (shifted register): shift type 11 is reserved');
  sreg64(cpu, i);
}

const ADDSUB_SHIFTED: EncodingSpec[] = [
  {
    name: 'ADD_32_addsub_shift', cls: 'dp-reg', pattern: '00001011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as32FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { const b = as32(cpu, i); const d = wz(i & 31); cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] + b; cpu.xhi[d] = 0; },
  },
  {
    name: 'ADDS_32_addsub_shift', cls: 'dp-reg', pattern: '00101011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as32FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { const b = as32(cpu, i); adds32(cpu, wz(i & 31), cpu.xlo[rz((i >>> 5) & 31)], b, 0); },
  },
  {
    name: 'SUB_32_addsub_shift', cls: 'dp-reg', pattern: '01001011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as32FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { const b = as32(cpu, i); const d = wz(i & 31); cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] - b; cpu.xhi[d] = 0; },
  },
  {
    name: 'SUBS_32_addsub_shift', cls: 'dp-reg', pattern: '01101011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as32FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { const b = as32(cpu, i); adds32(cpu, wz(i & 31), cpu.xlo[rz((i >>> 5) & 31)], ~b, 1); },
  },
  {
    name: 'ADD_64_addsub_shift', cls: 'dp-reg', pattern: '10001011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as64FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { as64(cpu, i); const n = rz((i >>> 5) & 31); add64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], OLO, OHI, 0); },
  },
  {
    name: 'ADDS_64_addsub_shift', cls: 'dp-reg', pattern: '10101011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as64FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { as64(cpu, i); const n = rz((i >>> 5) & 31); adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], OLO, OHI, 0); },
  },
  {
    name: 'SUB_64_addsub_shift', cls: 'dp-reg', pattern: '11001011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as64FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { as64(cpu, i); const n = rz((i >>> 5) & 31); add64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], ~OLO, ~OHI, 1); },
  },
  {
    name: 'SUBS_64_addsub_shift', cls: 'dp-reg', pattern: '11101011ss0mmmmmiiiiiinnnnnddddd', fuzzOk: as64FuzzOk, disasm: addSubShiftText,
    exec: (cpu, i) => { as64(cpu, i); const n = rz((i >>> 5) & 31); adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], ~OLO, ~OHI, 1); },
  },
];

// ---- Add/subtract (extended register) --------------------------------------------------------
// sf op S 01011 00 1 Rm option imm3 Rn Rd; imm3 > 4 is UNDEFINED. Rn is SP-context; Rd too unless S.

function addSubExtText(i: number): string {
  const sf = i < 0, op = (i >>> 30) & 1, s = (i >>> 29) & 1;
  const m = (i >>> 16) & 31, opt = (i >>> 13) & 7, sh = (i >>> 10) & 7, n = (i >>> 5) & 31, d = i & 31;
  if (sh > 4) return undefText(i);
  const rm = reg(m, sf && (opt & 3) === 3);
  const rn = reg(n, sf, true);
  let ext: string[];
  const lslForm = (d === 31 && s === 0) || n === 31;
  if (lslForm && opt === (sf ? 3 : 2)) ext = sh ? [`lsl #${sh}`] : [];
  else ext = [sh ? `${EXTEND[opt]} #${sh}` : EXTEND[opt]];
  if (s === 1 && d === 31) return ins(op ? 'cmp' : 'cmn', rn, rm, ...ext);
  return ins((op ? 'sub' : 'add') + (s ? 's' : ''), reg(d, sf, s === 0), rn, rm, ...ext);
}

const extFuzzOk = (i: number): boolean => ((i >>> 10) & 7) <= 4;
function ext32(cpu: Cpu, i: number): number {
  if (((i >>> 10) & 7) > 4) cpu.undefinedInstruction(i, 'add/sub (extended register): shift > 4');
  return ereg32(cpu, i);
}
function ext64(cpu: Cpu, i: number): void {
  if (((i >>> 10) & 7) > 4) cpu.undefinedInstruction(i, 'add/sub (extended register): shift > 4');
  ereg64(cpu, i);
}

const ADDSUB_EXT: EncodingSpec[] = [
  {
    name: 'ADD_32_addsub_ext', cls: 'dp-reg', pattern: '00001011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { const b = ext32(cpu, i); const d = i & 31; cpu.xlo[d] = cpu.xlo[(i >>> 5) & 31] + b; cpu.xhi[d] = 0; },
  },
  {
    name: 'ADDS_32S_addsub_ext', cls: 'dp-reg', pattern: '00101011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { const b = ext32(cpu, i); adds32(cpu, wz(i & 31), cpu.xlo[(i >>> 5) & 31], b, 0); },
  },
  {
    name: 'SUB_32_addsub_ext', cls: 'dp-reg', pattern: '01001011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { const b = ext32(cpu, i); const d = i & 31; cpu.xlo[d] = cpu.xlo[(i >>> 5) & 31] - b; cpu.xhi[d] = 0; },
  },
  {
    name: 'SUBS_32S_addsub_ext', cls: 'dp-reg', pattern: '01101011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { const b = ext32(cpu, i); adds32(cpu, wz(i & 31), cpu.xlo[(i >>> 5) & 31], ~b, 1); },
  },
  {
    name: 'ADD_64_addsub_ext', cls: 'dp-reg', pattern: '10001011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { ext64(cpu, i); const n = (i >>> 5) & 31; add64(cpu, i & 31, cpu.xlo[n], cpu.xhi[n], OLO, OHI, 0); },
  },
  {
    name: 'ADDS_64S_addsub_ext', cls: 'dp-reg', pattern: '10101011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { ext64(cpu, i); const n = (i >>> 5) & 31; adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], OLO, OHI, 0); },
  },
  {
    name: 'SUB_64_addsub_ext', cls: 'dp-reg', pattern: '11001011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { ext64(cpu, i); const n = (i >>> 5) & 31; add64(cpu, i & 31, cpu.xlo[n], cpu.xhi[n], ~OLO, ~OHI, 1); },
  },
  {
    name: 'SUBS_64S_addsub_ext', cls: 'dp-reg', pattern: '11101011001mmmmmoooiiinnnnnddddd', fuzzOk: extFuzzOk, disasm: addSubExtText,
    exec: (cpu, i) => { ext64(cpu, i); const n = (i >>> 5) & 31; adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], ~OLO, ~OHI, 1); },
  },
];

// ---- Add/subtract (with carry) ---------------------------------------------------------------
// sf op S 11010000 Rm 000000 Rn Rd

function adcText(i: number): string {
  const sf = i < 0, op = (i >>> 30) & 1, s = (i >>> 29) & 1;
  const m = (i >>> 16) & 31, n = (i >>> 5) & 31, d = i & 31;
  if (op === 1 && n === 31) return ins(s ? 'ngcs' : 'ngc', reg(d, sf), reg(m, sf));
  return ins((op ? 'sbc' : 'adc') + (s ? 's' : ''), reg(d, sf), reg(n, sf), reg(m, sf));
}

const ADDSUB_CARRY: EncodingSpec[] = [
  {
    name: 'ADC_32_addsub_carry', cls: 'dp-reg', pattern: '00011010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => { const d = wz(i & 31); cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] + cpu.xlo[rz((i >>> 16) & 31)] + cpu.c; cpu.xhi[d] = 0; },
  },
  {
    name: 'ADCS_32_addsub_carry', cls: 'dp-reg', pattern: '00111010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => adds32(cpu, wz(i & 31), cpu.xlo[rz((i >>> 5) & 31)], cpu.xlo[rz((i >>> 16) & 31)], cpu.c),
  },
  {
    name: 'SBC_32_addsub_carry', cls: 'dp-reg', pattern: '01011010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => { const d = wz(i & 31); cpu.xlo[d] = cpu.xlo[rz((i >>> 5) & 31)] + ~cpu.xlo[rz((i >>> 16) & 31)] + cpu.c; cpu.xhi[d] = 0; },
  },
  {
    name: 'SBCS_32_addsub_carry', cls: 'dp-reg', pattern: '01111010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => adds32(cpu, wz(i & 31), cpu.xlo[rz((i >>> 5) & 31)], ~cpu.xlo[rz((i >>> 16) & 31)], cpu.c),
  },
  {
    name: 'ADC_64_addsub_carry', cls: 'dp-reg', pattern: '10011010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => { const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31); add64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], cpu.xlo[m], cpu.xhi[m], cpu.c); },
  },
  {
    name: 'ADCS_64_addsub_carry', cls: 'dp-reg', pattern: '10111010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => { const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31); adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], cpu.xlo[m], cpu.xhi[m], cpu.c); },
  },
  {
    name: 'SBC_64_addsub_carry', cls: 'dp-reg', pattern: '11011010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => { const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31); add64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], ~cpu.xlo[m], ~cpu.xhi[m], cpu.c); },
  },
  {
    name: 'SBCS_64_addsub_carry', cls: 'dp-reg', pattern: '11111010000mmmmm000000nnnnnddddd', disasm: adcText,
    exec: (cpu, i) => { const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31); adds64(cpu, wz(i & 31), cpu.xlo[n], cpu.xhi[n], ~cpu.xlo[m], ~cpu.xhi[m], cpu.c); },
  },
];

// ---- Conditional compare (register / immediate) ----------------------------------------------
// sf op 1 11010010 Rm|imm5 cond 0|1 0 Rn 0 nzcv. op=0 CCMN, op=1 CCMP.

function ccmpText(i: number): string {
  const sf = i < 0, op = (i >>> 30) & 1, imm = (i >>> 11) & 1;
  const m = (i >>> 16) & 31, cond = (i >>> 12) & 15, n = (i >>> 5) & 31;
  return ins(op ? 'ccmp' : 'ccmn', reg(n, sf), imm ? `#0x${m.toString(16)}` : reg(m, sf), `#0x${(i & 15).toString(16)}`, condName(cond)) + condComment(cond);
}

function setNzcvImm(cpu: Cpu, i: number): void {
  cpu.n = (i >>> 3) & 1; cpu.z = (i >>> 2) & 1; cpu.c = (i >>> 1) & 1; cpu.v = i & 1;
}

const COND_COMPARE: EncodingSpec[] = [
  {
    name: 'CCMN_32_condcmp_reg', cls: 'dp-reg', pattern: '00111010010mmmmmcccc00nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => { if (conditionHolds(cpu, (i >>> 12) & 15)) adds32(cpu, SINK, cpu.xlo[rz((i >>> 5) & 31)], cpu.xlo[rz((i >>> 16) & 31)], 0); else setNzcvImm(cpu, i); },
  },
  {
    name: 'CCMP_32_condcmp_reg', cls: 'dp-reg', pattern: '01111010010mmmmmcccc00nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => { if (conditionHolds(cpu, (i >>> 12) & 15)) adds32(cpu, SINK, cpu.xlo[rz((i >>> 5) & 31)], ~cpu.xlo[rz((i >>> 16) & 31)], 1); else setNzcvImm(cpu, i); },
  },
  {
    name: 'CCMN_64_condcmp_reg', cls: 'dp-reg', pattern: '10111010010mmmmmcccc00nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => {
      if (!conditionHolds(cpu, (i >>> 12) & 15)) { setNzcvImm(cpu, i); return; }
      const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31);
      adds64(cpu, SINK, cpu.xlo[n], cpu.xhi[n], cpu.xlo[m], cpu.xhi[m], 0);
    },
  },
  {
    name: 'CCMP_64_condcmp_reg', cls: 'dp-reg', pattern: '11111010010mmmmmcccc00nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => {
      if (!conditionHolds(cpu, (i >>> 12) & 15)) { setNzcvImm(cpu, i); return; }
      const n = rz((i >>> 5) & 31), m = rz((i >>> 16) & 31);
      adds64(cpu, SINK, cpu.xlo[n], cpu.xhi[n], ~cpu.xlo[m], ~cpu.xhi[m], 1);
    },
  },
  {
    name: 'CCMN_32_condcmp_imm', cls: 'dp-reg', pattern: '00111010010iiiiicccc10nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => { if (conditionHolds(cpu, (i >>> 12) & 15)) adds32(cpu, SINK, cpu.xlo[rz((i >>> 5) & 31)], (i >>> 16) & 31, 0); else setNzcvImm(cpu, i); },
  },
  {
    name: 'CCMP_32_condcmp_imm', cls: 'dp-reg', pattern: '01111010010iiiiicccc10nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => { if (conditionHolds(cpu, (i >>> 12) & 15)) adds32(cpu, SINK, cpu.xlo[rz((i >>> 5) & 31)], ~((i >>> 16) & 31), 1); else setNzcvImm(cpu, i); },
  },
  {
    name: 'CCMN_64_condcmp_imm', cls: 'dp-reg', pattern: '10111010010iiiiicccc10nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => {
      if (!conditionHolds(cpu, (i >>> 12) & 15)) { setNzcvImm(cpu, i); return; }
      const n = rz((i >>> 5) & 31);
      adds64(cpu, SINK, cpu.xlo[n], cpu.xhi[n], (i >>> 16) & 31, 0, 0);
    },
  },
  {
    name: 'CCMP_64_condcmp_imm', cls: 'dp-reg', pattern: '11111010010iiiiicccc10nnnnn0ffff', disasm: ccmpText,
    exec: (cpu, i) => {
      if (!conditionHolds(cpu, (i >>> 12) & 15)) { setNzcvImm(cpu, i); return; }
      const n = rz((i >>> 5) & 31);
      adds64(cpu, SINK, cpu.xlo[n], cpu.xhi[n], ~((i >>> 16) & 31), -1, 1);
    },
  },
];

// ---- Conditional select ----------------------------------------------------------------------
// sf op 0 11010100 Rm cond 0 o2 Rn Rd: CSEL (0,0) CSINC (0,1) CSINV (1,0) CSNEG (1,1).

function cselText(i: number): string {
  const sf = i < 0, op = (i >>> 30) & 1, o2 = (i >>> 10) & 1;
  const m = (i >>> 16) & 31, cond = (i >>> 12) & 15, n = (i >>> 5) & 31, d = i & 31;
  const inv = condName(cond ^ 1), invC = condComment(cond ^ 1), rd = reg(d, sf), rn = reg(n, sf);
  if (m === n && (cond >>> 1) !== 7 && (op | o2) !== 0) {
    if (op === 0) return (n === 31 ? ins('cset', rd, inv) : ins('cinc', rd, rn, inv)) + invC;
    if (o2 === 0) return (n === 31 ? ins('csetm', rd, inv) : ins('cinv', rd, rn, inv)) + invC;
    return ins('cneg', rd, rn, inv) + invC;
  }
  return ins(['csel', 'csinc', 'csinv', 'csneg'][op * 2 + o2], rd, rn, reg(m, sf), condName(cond)) + condComment(cond);
}

const COND_SELECT: EncodingSpec[] = [
  {
    name: 'CSEL_32_condsel', cls: 'dp-reg', pattern: '00011010100mmmmmcccc00nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      cpu.xlo[d] = conditionHolds(cpu, (i >>> 12) & 15) ? cpu.xlo[rz((i >>> 5) & 31)] : cpu.xlo[rz((i >>> 16) & 31)]; cpu.xhi[d] = 0;
    },
  },
  {
    name: 'CSINC_32_condsel', cls: 'dp-reg', pattern: '00011010100mmmmmcccc01nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      cpu.xlo[d] = conditionHolds(cpu, (i >>> 12) & 15) ? cpu.xlo[rz((i >>> 5) & 31)] : cpu.xlo[rz((i >>> 16) & 31)] + 1; cpu.xhi[d] = 0;
    },
  },
  {
    name: 'CSINV_32_condsel', cls: 'dp-reg', pattern: '01011010100mmmmmcccc00nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      cpu.xlo[d] = conditionHolds(cpu, (i >>> 12) & 15) ? cpu.xlo[rz((i >>> 5) & 31)] : ~cpu.xlo[rz((i >>> 16) & 31)]; cpu.xhi[d] = 0;
    },
  },
  {
    name: 'CSNEG_32_condsel', cls: 'dp-reg', pattern: '01011010100mmmmmcccc01nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      cpu.xlo[d] = conditionHolds(cpu, (i >>> 12) & 15) ? cpu.xlo[rz((i >>> 5) & 31)] : -cpu.xlo[rz((i >>> 16) & 31)] | 0; cpu.xhi[d] = 0;
    },
  },
  {
    name: 'CSEL_64_condsel', cls: 'dp-reg', pattern: '10011010100mmmmmcccc00nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31), s = conditionHolds(cpu, (i >>> 12) & 15) ? rz((i >>> 5) & 31) : rz((i >>> 16) & 31);
      cpu.xlo[d] = cpu.xlo[s]; cpu.xhi[d] = cpu.xhi[s];
    },
  },
  {
    name: 'CSINC_64_condsel', cls: 'dp-reg', pattern: '10011010100mmmmmcccc01nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      if (conditionHolds(cpu, (i >>> 12) & 15)) { const n = rz((i >>> 5) & 31); cpu.xlo[d] = cpu.xlo[n]; cpu.xhi[d] = cpu.xhi[n]; return; }
      const m = rz((i >>> 16) & 31), lo = cpu.xlo[m] + 1 | 0;
      cpu.xhi[d] = lo === 0 ? cpu.xhi[m] + 1 : cpu.xhi[m]; cpu.xlo[d] = lo;
    },
  },
  {
    name: 'CSINV_64_condsel', cls: 'dp-reg', pattern: '11011010100mmmmmcccc00nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      if (conditionHolds(cpu, (i >>> 12) & 15)) { const n = rz((i >>> 5) & 31); cpu.xlo[d] = cpu.xlo[n]; cpu.xhi[d] = cpu.xhi[n]; return; }
      const m = rz((i >>> 16) & 31);
      cpu.xlo[d] = ~cpu.xlo[m]; cpu.xhi[d] = ~cpu.xhi[m];
    },
  },
  {
    name: 'CSNEG_64_condsel', cls: 'dp-reg', pattern: '11011010100mmmmmcccc01nnnnnddddd', disasm: cselText,
    exec: (cpu, i) => {
      const d = wz(i & 31);
      if (conditionHolds(cpu, (i >>> 12) & 15)) { const n = rz((i >>> 5) & 31); cpu.xlo[d] = cpu.xlo[n]; cpu.xhi[d] = cpu.xhi[n]; return; }
      const m = rz((i >>> 16) & 31), lo = -cpu.xlo[m] | 0;
      cpu.xhi[d] = lo === 0 ? -cpu.xhi[m] | 0 : ~cpu.xhi[m]; cpu.xlo[d] = lo;
    },
  },
];

export const DP_REG: EncodingSpec[] = [
  ...LOGICAL_SHIFTED, ...ADDSUB_SHIFTED, ...ADDSUB_EXT, ...ADDSUB_CARRY, ...COND_COMPARE, ...COND_SELECT,
];
