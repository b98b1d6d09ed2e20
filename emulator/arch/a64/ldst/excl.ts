// Load/store exclusive (LDXR/STXR, acquire/release variants, pairs), load-acquire/store-release
// (LDAR/STLR), and compare-and-swap (CAS, CASP; FEAT_LSE). Arm ARM C4.1.67, "Load/store exclusive
// register", "Load/store ordered", "Compare and swap (pair)".
//
// Exclusive monitors (Arm ARM B2.9): a load-exclusive records the physical address and size of the
// access in cpu.exclusive{Valid,Pa,Size} and arms the global monitor on its granule
// (emulator/cpu/global-monitor.ts: a store by another PE there clears the mark); a store-exclusive
// passes only if the monitor is still valid for the same address and size, and clears it whether
// it passes or not (AArch64.ExclusiveMonitorsPass). Ordering (acquire/release) is not observable on one PE: the
// A/L variants differ only in the barrier semantics.
//
// Not implemented (left UNDEFINED): LDLAR/STLLR (FEAT_LOR), LDAPR/LDAPUR (FEAT_LRCPC/LRCPC2);
// they need the ID registers to advertise them first.
import type { Cpu } from '../../../cpu/cpu';
import { rz, wz, TWO32 } from '../../../cpu/regs';
import type { EncodingSpec } from '../../encoding';
import { ins, reg } from '../../disasm-util';
import { checkAligned, memBase } from './common';

const bin = (v: number, n: number): string => v.toString(2).padStart(n, '0');
const SUFFIX = ['b', 'h', '', ''];
const NAME_SZ = ['B', 'H', '', ''];
const fRt = (i: number): number => i & 31;
const fRn = (i: number): number => (i >>> 5) & 31;
const fRt2 = (i: number): number => (i >>> 10) & 31;
const fRs = (i: number): number => (i >>> 16) & 31;

/** Temporaries for loaded values (no allocation per execution). */
const T = new Int32Array(4);

/** Loads `bytes` (1,2,4,8) at (lo,hi) into T[k], T[k+1] (zero-extended). */
function load(cpu: Cpu, lo: number, hi: number, bytes: number, k: number): void {
  switch (bytes) {
    case 1: T[k] = cpu.ld8(lo, hi); T[k + 1] = 0; break;
    case 2: T[k] = cpu.ld16(lo, hi); T[k + 1] = 0; break;
    case 4: T[k] = cpu.ld32(lo, hi); T[k + 1] = 0; break;
    default: T[k] = cpu.ld64(lo, hi); T[k + 1] = cpu.ldHi; break;
  }
}
function store(cpu: Cpu, lo: number, hi: number, bytes: number, r: number): void {
  switch (bytes) {
    case 1: cpu.st8(lo, hi, cpu.xlo[r] & 0xff); break;
    case 2: cpu.st16(lo, hi, cpu.xlo[r] & 0xffff); break;
    case 4: cpu.st32(lo, hi, cpu.xlo[r]); break;
    default: cpu.st64(lo, hi, cpu.xlo[r], cpu.xhi[r]); break;
  }
}
const hiOf = (lo: number, hi: number, k: number): number => ((lo >>> 0) + k >= TWO32 ? (hi + 1) | 0 : hi);
const loOf = (lo: number, k: number): number => ((lo >>> 0) + k) | 0;

function setReg(cpu: Cpu, t: number, lo: number, hi: number): void {
  const w = wz(t);
  cpu.xlo[w] = lo; cpu.xhi[w] = hi;
}

// ------------------------------------------------------------------ exclusives

function monitorPass(cpu: Cpu, lo: number, hi: number, size: number): boolean {
  const pa = cpu.translateData(lo, hi, size, true);
  const pass = cpu.exclusiveValid && cpu.exclusivePa === pa && cpu.exclusiveSize === size;
  cpu.exclusiveValid = false;
  return pass;
}
function monitorMark(cpu: Cpu, lo: number, hi: number, size: number): void {
  cpu.exclusivePa = cpu.translateData(lo, hi, size, false);
  cpu.exclusiveSize = size;
  cpu.exclusiveValid = true;
  cpu.mem.monitor.arm(cpu.exclusivePa);
}

function exclusives(): EncodingSpec[] {
  const out: EncodingSpec[] = [];
  for (let size = 0; size < 4; size++) {
    const bytes = 1 << size, sf = size === 3, sz = NAME_SZ[size], sfx = SUFFIX[size];
    const regName = size === 3 ? '64' : '32';
    for (let o0 = 0; o0 < 2; o0++) {
      // STXR / STLXR: Rt2 is should-be-one; Rs == Rt or Rs == Rn (not SP) is CONSTRAINED UNPREDICTABLE.
      const sm = (o0 ? 'stlxr' : 'stxr') + sfx;
      out.push({
        name: `${sm.toUpperCase()}_SR${regName}_ldstexcl`, cls: 'ldst-excl',
        pattern: bin(size, 2) + '001000000sssss' + o0 + 'uuuuunnnnnttttt',
        fuzzOk: (i) => fRt2(i) === 31 && fRs(i) !== fRt(i) && (fRs(i) !== fRn(i) || fRn(i) === 31),
        exec: (cpu, i) => {
          const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
          checkAligned(cpu, lo, hi, bytes, true);
          const pass = monitorPass(cpu, lo, hi, bytes);
          if (pass) store(cpu, lo, hi, bytes, rz(fRt(i)));
          setReg(cpu, fRs(i), pass ? 0 : 1, 0);
        },
        disasm: (i) => ins(sm, reg(fRs(i), false), reg(fRt(i), sf), memBase(fRn(i))),
      });
      // LDXR / LDAXR: Rs and Rt2 are should-be-one.
      const lm = (o0 ? 'ldaxr' : 'ldxr') + sfx;
      out.push({
        name: `${lm.toUpperCase()}_LR${regName}_ldstexcl`, cls: 'ldst-excl',
        pattern: bin(size, 2) + '001000010sssss' + o0 + 'uuuuunnnnnttttt',
        fuzzOk: (i) => fRt2(i) === 31 && fRs(i) === 31,
        exec: (cpu, i) => {
          const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
          checkAligned(cpu, lo, hi, bytes);
          load(cpu, lo, hi, bytes, 0);
          monitorMark(cpu, lo, hi, bytes);
          setReg(cpu, fRt(i), T[0], T[1]);
        },
        disasm: (i) => ins(lm, reg(fRt(i), sf), memBase(fRn(i))),
      });
      // LDAR / STLR (o0 = 1); o0 = 0 is LDLAR/STLLR (FEAT_LOR), not implemented.
      if (o0 === 1) {
        out.push({
          name: `STLR${sz}_SL${regName}_ldstexcl`, cls: 'ldst-excl',
          pattern: bin(size, 2) + '001000100sssss1uuuuunnnnnttttt',
          fuzzOk: (i) => fRt2(i) === 31 && fRs(i) === 31,
          exec: (cpu, i) => {
            const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
            checkAligned(cpu, lo, hi, bytes, true);
            store(cpu, lo, hi, bytes, rz(fRt(i)));
          },
          disasm: (i) => ins('stlr' + sfx, reg(fRt(i), sf), memBase(fRn(i))),
        });
        out.push({
          name: `LDAR${sz}_LR${regName}_ldstexcl`, cls: 'ldst-excl',
          pattern: bin(size, 2) + '001000110sssss1uuuuunnnnnttttt',
          fuzzOk: (i) => fRt2(i) === 31 && fRs(i) === 31,
          exec: (cpu, i) => {
            const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
            checkAligned(cpu, lo, hi, bytes);
            load(cpu, lo, hi, bytes, 0);
            setReg(cpu, fRt(i), T[0], T[1]);
          },
          disasm: (i) => ins('ldar' + sfx, reg(fRt(i), sf), memBase(fRn(i))),
        });
      }
    }
  }
  // pairs: size 10 = W (64-bit access), 11 = X (128-bit access)
  for (let sz = 0; sz < 2; sz++) {
    const bytes = sz ? 8 : 4, sf = sz === 1, total = 2 * bytes, regName = sz ? '64' : '32';
    for (let o0 = 0; o0 < 2; o0++) {
      const sm = o0 ? 'stlxp' : 'stxp';
      out.push({
        name: `${sm.toUpperCase()}_SP${regName}_ldstexcl`, cls: 'ldst-excl',
        pattern: '1' + sz + '001000001sssss' + o0 + 'uuuuunnnnnttttt',
        fuzzOk: (i) => fRs(i) !== fRt(i) && fRs(i) !== fRt2(i) && (fRs(i) !== fRn(i) || fRn(i) === 31),
        exec: (cpu, i) => {
          const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
          checkAligned(cpu, lo, hi, total, true);
          const pass = monitorPass(cpu, lo, hi, total);
          if (pass) {
            store(cpu, lo, hi, bytes, rz(fRt(i)));
            store(cpu, loOf(lo, bytes), hiOf(lo, hi, bytes), bytes, rz(fRt2(i)));
          }
          setReg(cpu, fRs(i), pass ? 0 : 1, 0);
        },
        disasm: (i) => ins(sm, reg(fRs(i), false), reg(fRt(i), sf), reg(fRt2(i), sf), memBase(fRn(i))),
      });
      const lm = o0 ? 'ldaxp' : 'ldxp';
      out.push({
        name: `${lm.toUpperCase()}_LP${regName}_ldstexcl`, cls: 'ldst-excl',
        pattern: '1' + sz + '001000011sssss' + o0 + 'uuuuunnnnnttttt',
        fuzzOk: (i) => fRs(i) === 31 && fRt(i) !== fRt2(i),
        exec: (cpu, i) => {
          const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
          checkAligned(cpu, lo, hi, total);
          load(cpu, lo, hi, bytes, 0);
          load(cpu, loOf(lo, bytes), hiOf(lo, hi, bytes), bytes, 2);
          monitorMark(cpu, lo, hi, total);
          setReg(cpu, fRt(i), T[0], T[1]);
          setReg(cpu, fRt2(i), T[2], T[3]);
        },
        disasm: (i) => ins(lm, reg(fRt(i), sf), reg(fRt2(i), sf), memBase(fRn(i))),
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------ compare and swap

const ORDER = ['', 'l', 'a', 'al']; // index: L(acquire) * 2 + o0(release)
const ORDER_NAME = ['', 'L', 'A', 'AL'];

function cas(): EncodingSpec[] {
  const out: EncodingSpec[] = [];
  for (let size = 0; size < 4; size++) {
    const bytes = 1 << size, sf = size === 3, mask = size === 0 ? 0xff : size === 1 ? 0xffff : -1;
    for (let ord = 0; ord < 4; ord++) {
      const m = 'cas' + ORDER[ord] + SUFFIX[size];
      out.push({
        name: `CAS${ORDER_NAME[ord]}${NAME_SZ[size]}_C${sf ? '64' : '32'}_ldstexcl`, cls: 'ldst-atomic',
        pattern: bin(size, 2) + '0010001' + (ord >> 1) + '1sssss' + (ord & 1) + '11111nnnnnttttt',
        exec: (cpu, i) => {
          const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
          checkAligned(cpu, lo, hi, bytes); // faults as a read (WnR = 0), as QEMU: see checkAligned
          const s = rz(fRs(i));
          const clo = cpu.xlo[s] & mask, chi = sf ? cpu.xhi[s] : 0;
          load(cpu, lo, hi, bytes, 0);
          const olo = T[0], ohi = T[1];
          if (olo === clo && ohi === chi) store(cpu, lo, hi, bytes, rz(fRt(i)));
          setReg(cpu, fRs(i), olo, ohi);
        },
        disasm: (i) => ins(m, reg(fRs(i), sf), reg(fRt(i), sf), memBase(fRn(i))),
      });
    }
  }
  // CASP: Rs and Rt even (odd register numbers are UNDEFINED, left out of the pattern).
  for (let sz = 0; sz < 2; sz++) {
    const bytes = sz ? 8 : 4, sf = sz === 1;
    for (let ord = 0; ord < 4; ord++) {
      const m = 'casp' + ORDER[ord];
      out.push({
        name: `CASP${ORDER_NAME[ord]}_CP${sf ? '64' : '32'}_ldstexcl`, cls: 'ldst-atomic',
        pattern: '0' + sz + '0010000' + (ord >> 1) + '1ssss0' + (ord & 1) + '11111nnnnntttt0',
        exec: (cpu, i) => {
          const n = fRn(i), lo = cpu.xlo[n], hi = cpu.xhi[n];
          checkAligned(cpu, lo, hi, 2 * bytes); // as CAS
          const rs = fRs(i), rt = fRt(i), s0 = rz(rs), s1 = rz(rs + 1);
          const lo2 = loOf(lo, bytes), hi2 = hiOf(lo, hi, bytes);
          load(cpu, lo, hi, bytes, 0);
          load(cpu, lo2, hi2, bytes, 2);
          const eq = T[0] === cpu.xlo[s0] && T[2] === cpu.xlo[s1] &&
            (!sf || (T[1] === cpu.xhi[s0] && T[3] === cpu.xhi[s1]));
          if (eq) {
            store(cpu, lo, hi, bytes, rz(rt));
            store(cpu, lo2, hi2, bytes, rz(rt + 1));
          }
          setReg(cpu, rs, T[0], T[1]);
          setReg(cpu, rs + 1, T[2], T[3]);
        },
        disasm: (i) => ins(m, reg(fRs(i), sf), reg(fRs(i) + 1, sf), reg(fRt(i), sf), reg(fRt(i) + 1, sf), memBase(fRn(i))),
      });
    }
  }
  return out;
}

export const EXCLUSIVE: EncodingSpec[] = [...exclusives(), ...cas()];
