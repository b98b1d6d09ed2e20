// Disassembly of the system class vs GNU objdump over (most of) the whole system space:
// 1101 0101 00 L op0 op1 CRn CRm op2 Rt. Every MRS/MSR (register) encoding, the complete op0=0
// space (hints, barriers, PSTATE, unallocated words that objdump prints as `msr s0_...`), every
// SYS encoding (DC/IC/AT/TLBI and generic `sys`) with several Rt, and SYSL / L=1 op0=0 words.
// Every word in these spaces must be decoded by hvlab and print exactly as objdump prints it.
import { strict as assert } from 'node:assert';
import { a64Decoder } from '../../emulator/arch/decoder';
import { normalise, objdumpWords } from '../tools/objdump';
import { rng } from './system-util';

function compare(words: number[], label: string): { compared: number; bad: string[] } {
  const dec = a64Decoder();
  const base = 0x40000000n;
  const ref = objdumpWords(words, base);
  const bad: string[] = [];
  words.forEach((w, k) => {
    const e = dec.decode(w | 0);
    const ours = e ? e.disasm(w | 0, (0x40000000 + k * 4) | 0, 0) : '(no encoding)';
    if (!e || e.cls !== 'system' || normalise(ours) !== normalise(ref[k])) {
      bad.push(`${label} ${w.toString(16).padStart(8, '0')}: ours "${ours}" (${e?.name}) objdump "${ref[k]}"`);
    }
  });
  return { compared: words.length, bad };
}

function check(words: number[], label: string): void {
  const { compared, bad } = compare(words, label);
  console.log(`      ${label}: ${compared - bad.length}/${compared} words identical to objdump`);
  assert.deepEqual(bad.slice(0, 20), [], `${bad.length} mismatches`);
}

describe('system: disassembly vs objdump', function () {
  this.timeout(120_000);
  const r = rng(0x5e5);

  it('MRS and MSR (register): every op0/op1/CRn/CRm/op2 (op0 = 2, 3), varied Rt', () => {
    const words: number[] = [];
    for (let k = 0; k < 32768; k++) {
      words.push((0xd5300000 | (k << 5) | (r() & 31)) >>> 0, (0xd5100000 | (k << 5) | (k & 31)) >>> 0);
    }
    check(words, 'mrs/msr');
  });

  it('op0 = 0 (L = 0): the whole space: hints, barriers, CLREX, PSTATE, unallocated', () => {
    const words: number[] = [];
    for (let k = 0; k < 1 << 19; k++) words.push((0xd5000000 | k) >>> 0);
    check(words, 'op0=0');
  });

  it('SYS: every op1/CRn/CRm/op2 with Rt = 0, 31 and a random register', () => {
    const words: number[] = [];
    for (let k = 0; k < 1 << 14; k++) {
      for (const t of [0, 31, r() % 31]) words.push((0xd5080000 | (k << 5) | t) >>> 0);
    }
    check(words, 'sys');
  });

  it('SYSL and L = 1, op0 = 0 (MRS s0_*, TSTART, TTEST): every op1/CRn/CRm/op2', () => {
    const words: number[] = [];
    for (let k = 0; k < 1 << 14; k++) {
      words.push((0xd5280000 | (k << 5) | (r() & 31)) >>> 0, (0xd5200000 | (k << 5) | (k & 31)) >>> 0);
    }
    for (let t = 0; t < 32; t++) words.push((0xd5233060 | t) >>> 0, (0xd5233160 | t) >>> 0);
    check(words, 'sysl');
  });
});
