// Atomic memory operations (FEAT_LSE): LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN
// and SWP, sizes B/H/W/X, orderings none/A/L/AL; objdump prints the ST<op> alias when Rt is ZR
// and the access has no acquire semantics. Rt receives the old memory value; Rs is read before the
// load, and Rt is written only after the store, so a fault leaves the registers untouched.
// (o3 = 1 with opc = 100 is LDAPR, FEAT_LRCPC: not implemented, left UNDEFINED.)
import type { Cpu } from '../../../cpu/cpu';
import { rz, wz, TWO32 } from '../../../cpu/regs';
import type { EncodingSpec } from '../../encoding';
import { ins, reg } from '../../disasm-util';
import { checkAligned, memBase } from './common';

const bin = (v: number, n: number): string => v.toString(2).padStart(n, '0');
const OPS = ['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin'];
const ORDER = ['', 'l', 'a', 'al']; // index: A * 2 + R
const SUFFIX = ['b', 'h', '', ''];

/** Result of an operation (new value to store), low and high halves. */
let RLO = 0, RHI = 0;

/**
 * new := op(old, s). Values are zero-extended to their size (`bits` = 8, 16, 32, 64); for 64 the
 * high halves take part. Signed comparisons sign-extend from the access size.
 */
function compute(op: number, bits: number, olo: number, ohi: number, slo: number, shi: number): void {
  switch (op) {
    case 0: { // add
      const s = (olo >>> 0) + (slo >>> 0);
      RLO = s | 0; RHI = (ohi + shi + (s >= TWO32 ? 1 : 0)) | 0;
      break;
    }
    case 1: RLO = olo & ~slo; RHI = ohi & ~shi; break;
    case 2: RLO = olo ^ slo; RHI = ohi ^ shi; break;
    case 3: RLO = olo | slo; RHI = ohi | shi; break;
    case 8: RLO = slo; RHI = shi; break; // swp
    default: {
      // 4 smax, 5 smin, 6 umax, 7 umin: pick old or s
      let gt: boolean; // old > s, in the op's signedness
      if (bits === 64) {
        if (ohi !== shi) gt = op < 6 ? ohi > shi : (ohi >>> 0) > (shi >>> 0);
        else gt = (olo >>> 0) > (slo >>> 0);
      } else if (op < 6) {
        const sh = 32 - bits;
        gt = (olo << sh) >> sh > (slo << sh) >> sh;
      } else {
        gt = (olo >>> 0) > (slo >>> 0);
      }
      const pickOld = (op & 1) === 0 ? gt : !gt; // max: old if old > s; min: old if old <= s
      RLO = pickOld ? olo : slo; RHI = pickOld ? ohi : shi;
    }
  }
  if (bits < 32) RLO &= (1 << bits) - 1;
  if (bits < 64) RHI = 0;
}

function atomic(size: number, opIdx: number, ord: number): EncodingSpec {
  const bytes = 1 << size, bits = 8 * bytes, sf = size === 3, mask = bits >= 32 ? -1 : (1 << bits) - 1;
  const swp = opIdx === 8;
  const base = swp ? 'swp' : 'ld' + OPS[opIdx];
  const m = base + ORDER[ord] + SUFFIX[size];
  const alias = swp || (ord & 2) ? undefined : 'st' + OPS[opIdx] + ORDER[ord] + SUFFIX[size];
  const o3opc = swp ? '1000' : '0' + bin(opIdx, 3);
  const exec = (cpu: Cpu, i: number): void => {
    const n = (i >>> 5) & 31, lo = cpu.xlo[n], hi = cpu.xhi[n];
    checkAligned(cpu, lo, hi, bytes);
    const s = rz((i >>> 16) & 31);
    const slo = cpu.xlo[s] & mask, shi = sf ? cpu.xhi[s] : 0;
    let olo: number, ohi = 0;
    switch (size) {
      case 0: olo = cpu.ld8(lo, hi); break;
      case 1: olo = cpu.ld16(lo, hi); break;
      case 2: olo = cpu.ld32(lo, hi); break;
      default: olo = cpu.ld64(lo, hi); ohi = cpu.ldHi; break;
    }
    compute(opIdx, bits, olo, ohi, slo, shi);
    switch (size) {
      case 0: cpu.st8(lo, hi, RLO); break;
      case 1: cpu.st16(lo, hi, RLO); break;
      case 2: cpu.st32(lo, hi, RLO); break;
      default: cpu.st64(lo, hi, RLO, RHI); break;
    }
    const t = wz(i & 31);
    cpu.xlo[t] = olo; cpu.xhi[t] = ohi;
  };
  return {
    name: `${m.toUpperCase()}_${sf ? '64' : '32'}_memop`, cls: 'ldst-atomic',
    pattern: bin(size, 2) + '111000' + (ord >> 1) + (ord & 1) + '1sssss' + o3opc + '00nnnnnttttt',
    exec,
    disasm: (i) => {
      const s = reg((i >>> 16) & 31, sf), t = i & 31;
      if (alias && t === 31) return ins(alias, s, memBase((i >>> 5) & 31));
      return ins(m, s, reg(t, sf), memBase((i >>> 5) & 31));
    },
  };
}

export const ATOMIC: EncodingSpec[] = [];
for (let size = 0; size < 4; size++) {
  for (let op = 0; op < 9; op++) {
    for (let ord = 0; ord < 4; ord++) ATOMIC.push(atomic(size, op, ord));
  }
}
