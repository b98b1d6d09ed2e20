// Load/store register (general and FP/SIMD): unsigned offset, unscaled (LDUR…), pre-index,
// post-index, unprivileged (LDTR…), register offset, literal; and the pair forms LDP/STP/LDPSW,
// LDNP/STNP (Arm ARM C4.1.67). One table entry per (size, V, opc, form), generated below, so each
// handler is specialised to its access size and addressing form.
//
// Unprivileged LDTR/STTR…: they differ from LDR/STR only in the permission check the MMU makes
// (EL0 permissions when executed at EL1, PAN ignored: Arm ARM C3.2.5, AArch64.CheckPermission
// with AccType_UNPRIV). The access runs in the EL0 translation context (cpu.beginUnprivileged),
// whose TLB table caches EL0 permissions, so it stays on the fast path.
import { TWO32 } from '../../../cpu/regs';
import type { EncodingSpec, InsnClass } from '../../encoding';
import { ins, reg, sext, target } from '../../disasm-util';
import * as X from './access';
import type { Acc, PairAcc } from './access';
import { A, addrImm, addrReg, memOff, memPost, memPre, memReg, prfop, vreg, writeBack } from './common';

interface SingleOp {
  /** Encoding fields. */
  size: number; v: number; opc: number;
  /** objdump mnemonic of the scaled-immediate form (ldr, ldrsb, prfm…). */
  m: string;
  /** Arm ARM encoding-name stem (LDRSB_64, LDR_Q…). */
  name: string;
  bytes: number;
  acc: Acc;
  /** Register operand text. */
  rt: (t: number) => string;
  load: boolean;
}

const w = (t: number): string => reg(t, false);
const x = (t: number): string => reg(t, true);

function gp(size: number, opc: number, m: string, name: string, acc: Acc, rt: (t: number) => string, load: boolean): SingleOp {
  return { size, v: 0, opc, m, name, bytes: 1 << size, acc, rt, load };
}
function fp(size: number, opc: number, acc: Acc): SingleOp {
  const bytes = opc & 2 ? 16 : 1 << size, load = (opc & 1) === 1;
  const m = load ? 'ldr' : 'str';
  return { size, v: 1, opc, m, name: `${m.toUpperCase()}_${vreg(0, bytes)[0].toUpperCase()}`, bytes, acc, rt: (t) => vreg(t, bytes), load };
}

const GP_OPS: SingleOp[] = [
  gp(0, 0, 'strb', 'STRB_32', X.STRB, w, false),
  gp(0, 1, 'ldrb', 'LDRB_32', X.LDRB, w, true),
  gp(0, 2, 'ldrsb', 'LDRSB_64', X.LDRSB64, x, true),
  gp(0, 3, 'ldrsb', 'LDRSB_32', X.LDRSB32, w, true),
  gp(1, 0, 'strh', 'STRH_32', X.STRH, w, false),
  gp(1, 1, 'ldrh', 'LDRH_32', X.LDRH, w, true),
  gp(1, 2, 'ldrsh', 'LDRSH_64', X.LDRSH64, x, true),
  gp(1, 3, 'ldrsh', 'LDRSH_32', X.LDRSH32, w, true),
  gp(2, 0, 'str', 'STR_32', X.STRW, w, false),
  gp(2, 1, 'ldr', 'LDR_32', X.LDRW, w, true),
  gp(2, 2, 'ldrsw', 'LDRSW_64', X.LDRSW, x, true),
  gp(3, 0, 'str', 'STR_64', X.STRX, x, false),
  gp(3, 1, 'ldr', 'LDR_64', X.LDRX, x, true),
];
const PRFM_OP = gp(3, 2, 'prfm', 'PRFM_P', X.PRFM, prfop, false);
const FP_OPS: SingleOp[] = [
  fp(0, 0, X.STRBv), fp(0, 1, X.LDRBv), fp(0, 2, X.STRQv), fp(0, 3, X.LDRQv),
  fp(1, 0, X.STRHv), fp(1, 1, X.LDRHv),
  fp(2, 0, X.STRSv), fp(2, 1, X.LDRSv),
  fp(3, 0, X.STRDv), fp(3, 1, X.LDRDv),
];

const bin = (v: number, n: number): string => v.toString(2).padStart(n, '0');
const cls = (op: SingleOp): InsnClass => (op.v ? 'ldst-simd' : 'ldst');
/** Writeback with Rn == Rt (Rn != SP) is CONSTRAINED UNPREDICTABLE for general registers. */
const wbOk = (op: SingleOp) => (i: number): boolean => op.v === 1 || (i & 31) !== ((i >>> 5) & 31) || ((i >>> 5) & 31) === 31;
const uMnem = (m: string, c: string): string => m.slice(0, 2) + c + m.slice(2);

function singleForms(op: SingleOp): EncodingSpec[] {
  const head = bin(op.size, 2) + '111' + op.v + '0';
  const o = bin(op.opc, 2);
  const acc = op.acc, bytes = op.bytes, c = cls(op), isPrf = op.m === 'prfm';
  const out: EncodingSpec[] = [];
  // unsigned offset
  out.push({
    name: `${op.name}_ldst_pos`, cls: c, pattern: head + '1' + o + 'iiiiiiiiiiiinnnnnttttt',
    exec: (cpu, i) => {
      addrImm(cpu, (i >>> 5) & 31, ((i >>> 10) & 0xfff) * bytes);
      acc(cpu, i & 31, A.lo, A.hi);
    },
    disasm: (i) => ins(op.m, op.rt(i & 31), memOff((i >>> 5) & 31, ((i >>> 10) & 0xfff) * bytes)),
  });
  // register offset (option<1> must be 1)
  const amount = Math.log2(bytes);
  out.push({
    name: `${op.name}_ldst_regoff`, cls: c, pattern: head + '0' + o + '1mmmmmx1xs10nnnnnttttt',
    exec: (cpu, i) => {
      const m = (i >>> 16) & 31;
      addrReg(cpu, (i >>> 5) & 31, m + ((m + 1) >> 5), (i >>> 13) & 7, (i & 0x1000) !== 0 ? amount : 0);
      acc(cpu, i & 31, A.lo, A.hi);
    },
    disasm: (i) => ins(op.m, op.rt(i & 31), memReg(i, amount)),
  });
  // unscaled (LDUR/STUR/PRFUM)
  out.push({
    name: `${isPrf ? 'PRFUM_P' : uMnem(op.m, 'u').toUpperCase() + op.name.slice(op.name.indexOf('_'))}_ldst_unscaled`, cls: c,
    pattern: head + '0' + o + '0iiiiiiiii00nnnnnttttt',
    exec: (cpu, i) => {
      addrImm(cpu, (i >>> 5) & 31, sext(i >>> 12, 9));
      acc(cpu, i & 31, A.lo, A.hi);
    },
    disasm: (i) => ins(isPrf ? 'prfum' : uMnem(op.m, 'u'), op.rt(i & 31), memOff((i >>> 5) & 31, sext(i >>> 12, 9))),
  });
  if (isPrf) return out;
  // post-index
  out.push({
    name: `${op.name}_ldst_immpost`, cls: c, pattern: head + '0' + o + '0iiiiiiiii01nnnnnttttt', fuzzOk: wbOk(op),
    exec: (cpu, i) => {
      const n = (i >>> 5) & 31;
      addrImm(cpu, n, sext(i >>> 12, 9));
      acc(cpu, i & 31, cpu.xlo[n], cpu.xhi[n]);
      writeBack(cpu, n);
    },
    disasm: (i) => ins(op.m, op.rt(i & 31), memPost((i >>> 5) & 31, sext(i >>> 12, 9))),
  });
  // pre-index
  out.push({
    name: `${op.name}_ldst_immpre`, cls: c, pattern: head + '0' + o + '0iiiiiiiii11nnnnnttttt', fuzzOk: wbOk(op),
    exec: (cpu, i) => {
      const n = (i >>> 5) & 31;
      addrImm(cpu, n, sext(i >>> 12, 9));
      const lo = A.lo, hi = A.hi;
      acc(cpu, i & 31, lo, hi);
      cpu.xlo[n] = lo; cpu.xhi[n] = hi;
    },
    disasm: (i) => ins(op.m, op.rt(i & 31), memPre((i >>> 5) & 31, sext(i >>> 12, 9))),
  });
  // unprivileged (general registers only)
  if (op.v === 0) {
    out.push({
      name: `${uMnem(op.m, 't').toUpperCase() + op.name.slice(op.name.indexOf('_'))}_ldst_unpriv`, cls: c,
      pattern: head + '0' + o + '0iiiiiiiii10nnnnnttttt',
      exec: (cpu, i) => {
        addrImm(cpu, (i >>> 5) & 31, sext(i >>> 12, 9));
        cpu.beginUnprivileged();
        try {
          acc(cpu, i & 31, A.lo, A.hi);
        } finally {
          cpu.endUnprivileged();
        }
      },
      disasm: (i) => ins(uMnem(op.m, 't'), op.rt(i & 31), memOff((i >>> 5) & 31, sext(i >>> 12, 9))),
    });
  }
  return out;
}

// ------------------------------------------------------------------ literal

const lit = (i: number): number => sext((i >>> 5) & 0x7ffff, 19) * 4;

function literal(opc: number, v: number, name: string, m: string, acc: Acc, rt: (t: number) => string): EncodingSpec {
  return {
    name, cls: v ? 'ldst-simd' : 'ldst', pattern: bin(opc, 2) + '011' + v + '00' + 'iiiiiiiiiiiiiiiiiiittttt',
    exec: (cpu, i) => {
      const s = (cpu.pcLo >>> 0) + lit(i);
      const lo = s | 0, hi = s >= TWO32 ? (cpu.pcHi + 1) | 0 : s < 0 ? (cpu.pcHi - 1) | 0 : cpu.pcHi;
      acc(cpu, i & 31, lo, hi);
    },
    disasm: (i, lo, hi) => ins(m, rt(i & 31), target(lo, hi, lit(i))),
  };
}

const LITERAL: EncodingSpec[] = [
  literal(0, 0, 'LDR_32_loadlit', 'ldr', X.LDRW, w),
  literal(1, 0, 'LDR_64_loadlit', 'ldr', X.LDRX, x),
  literal(2, 0, 'LDRSW_64_loadlit', 'ldrsw', X.LDRSW, x),
  literal(3, 0, 'PRFM_P_loadlit', 'prfm', X.PRFM, prfop),
  literal(0, 1, 'LDR_S_loadlit', 'ldr', X.LDRSv, (t) => vreg(t, 4)),
  literal(1, 1, 'LDR_D_loadlit', 'ldr', X.LDRDv, (t) => vreg(t, 8)),
  literal(2, 1, 'LDR_Q_loadlit', 'ldr', X.LDRQv, (t) => vreg(t, 16)),
];

// ------------------------------------------------------------------ pairs

interface PairOp { opc: number; v: number; l: number; m: string; name: string; scale: number; acc: PairAcc; rt: (t: number) => string }

const PAIR_OPS: PairOp[] = [
  { opc: 0, v: 0, l: 0, m: 'stp', name: 'STP_32', scale: 4, acc: X.STPW, rt: w },
  { opc: 0, v: 0, l: 1, m: 'ldp', name: 'LDP_32', scale: 4, acc: X.LDPW, rt: w },
  { opc: 1, v: 0, l: 1, m: 'ldpsw', name: 'LDPSW_64', scale: 4, acc: X.LDPSW, rt: x },
  { opc: 2, v: 0, l: 0, m: 'stp', name: 'STP_64', scale: 8, acc: X.STPX, rt: x },
  { opc: 2, v: 0, l: 1, m: 'ldp', name: 'LDP_64', scale: 8, acc: X.LDPX, rt: x },
  { opc: 0, v: 1, l: 0, m: 'stp', name: 'STP_S', scale: 4, acc: X.STPS, rt: (t) => vreg(t, 4) },
  { opc: 0, v: 1, l: 1, m: 'ldp', name: 'LDP_S', scale: 4, acc: X.LDPS, rt: (t) => vreg(t, 4) },
  { opc: 1, v: 1, l: 0, m: 'stp', name: 'STP_D', scale: 8, acc: X.STPD, rt: (t) => vreg(t, 8) },
  { opc: 1, v: 1, l: 1, m: 'ldp', name: 'LDP_D', scale: 8, acc: X.LDPD, rt: (t) => vreg(t, 8) },
  { opc: 2, v: 1, l: 0, m: 'stp', name: 'STP_Q', scale: 16, acc: X.STPQ, rt: (t) => vreg(t, 16) },
  { opc: 2, v: 1, l: 1, m: 'ldp', name: 'LDP_Q', scale: 16, acc: X.LDPQ, rt: (t) => vreg(t, 16) },
];

/**
 * Pair encodings the fuzzer may draw: a load with Rt == Rt2, and writeback with Rn == Rt or Rt2
 * (general registers, Rn != SP), are CONSTRAINED UNPREDICTABLE.
 */
function pairOk(op: PairOp, wb: boolean) {
  return (i: number): boolean => {
    const t = i & 31, t2 = (i >>> 10) & 31, n = (i >>> 5) & 31;
    if (op.l && t === t2) return false;
    if (wb && op.v === 0 && n !== 31 && (n === t || n === t2)) return false;
    return true;
  };
}

function pairForms(op: PairOp): EncodingSpec[] {
  const c: InsnClass = op.v ? 'ldst-simd' : 'ldst';
  const pre = bin(op.opc, 2) + '101' + op.v + '0';
  const tail = op.l + 'iiiiiiiuuuuunnnnnttttt';
  const acc = op.acc, scale = op.scale;
  const off = (i: number): number => sext(i >>> 15, 7) * scale;
  const regs = (i: number): string[] => [op.rt(i & 31), op.rt((i >>> 10) & 31)];
  const out: EncodingSpec[] = [
    {
      name: `${op.name}_ldstpair_off`, cls: c, pattern: pre + '10' + tail, fuzzOk: pairOk(op, false),
      exec: (cpu, i) => {
        addrImm(cpu, (i >>> 5) & 31, sext(i >>> 15, 7) * scale);
        acc(cpu, i & 31, (i >>> 10) & 31, A.lo, A.hi);
      },
      disasm: (i) => ins(op.m, ...regs(i), memOff((i >>> 5) & 31, off(i))),
    },
    {
      name: `${op.name}_ldstpair_post`, cls: c, pattern: pre + '01' + tail, fuzzOk: pairOk(op, true),
      exec: (cpu, i) => {
        const n = (i >>> 5) & 31;
        addrImm(cpu, n, sext(i >>> 15, 7) * scale);
        acc(cpu, i & 31, (i >>> 10) & 31, cpu.xlo[n], cpu.xhi[n]);
        writeBack(cpu, n);
      },
      disasm: (i) => ins(op.m, ...regs(i), memPost((i >>> 5) & 31, off(i))),
    },
    {
      name: `${op.name}_ldstpair_pre`, cls: c, pattern: pre + '11' + tail, fuzzOk: pairOk(op, true),
      exec: (cpu, i) => {
        const n = (i >>> 5) & 31;
        addrImm(cpu, n, sext(i >>> 15, 7) * scale);
        const lo = A.lo, hi = A.hi;
        acc(cpu, i & 31, (i >>> 10) & 31, lo, hi);
        cpu.xlo[n] = lo; cpu.xhi[n] = hi;
      },
      disasm: (i) => ins(op.m, ...regs(i), memPre((i >>> 5) & 31, off(i))),
    },
  ];
  // no-allocate pair (LDNP/STNP): not for LDPSW. The hint changes nothing observable here.
  if (!(op.v === 0 && op.opc === 1)) {
    const m = op.m === 'ldp' ? 'ldnp' : 'stnp';
    out.push({
      name: `${m.toUpperCase()}${op.name.slice(3)}_ldstnapair_offs`, cls: c, pattern: pre + '00' + tail, fuzzOk: pairOk(op, false),
      exec: (cpu, i) => {
        addrImm(cpu, (i >>> 5) & 31, sext(i >>> 15, 7) * scale);
        acc(cpu, i & 31, (i >>> 10) & 31, A.lo, A.hi);
      },
      disasm: (i) => ins(m, ...regs(i), memOff((i >>> 5) & 31, off(i))),
    });
  }
  return out;
}

export const SINGLE_AND_PAIR: EncodingSpec[] = [
  ...[...GP_OPS, PRFM_OP, ...FP_OPS].flatMap(singleForms),
  ...LITERAL,
  ...PAIR_OPS.flatMap(pairForms),
];

