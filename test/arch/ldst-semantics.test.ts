// Load/store semantics vs QEMU (qemu-system-aarch64 -M virt -cpu max), through the snippet harness,
// and the UNDEFINED behaviour of reserved load/store encodings.
import { stopOnUndefined } from '../../emulator/debug/trap-hooks';
import { strict as assert } from 'node:assert';
import { Cpu, type CpuEnvironment } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { describeMismatches, diffSnippets } from '../tools/harness/diff';
import { atomicCases, exclusiveCases, fpSingleCases, gpSingleCases, pairCases, rng, structCases, unpredictableCases, type Case } from './ldst-cases';

function check(cases: Case[], tag: string): void {
  const r = diffSnippets(cases, tag);
  const bad = describeMismatches(r);
  const ok = r.results.filter((c) => c.diffs.length === 0 && c.qemu.length > 0).length;
  console.log(`      ${tag}: ${ok}/${cases.length} cases identical to QEMU`);
  assert.deepEqual(bad.slice(0, 10), []);
  assert.equal(ok, cases.length);
}

describe('load/store semantics vs QEMU', function () {
  this.timeout(120000);

  it('general-register loads/stores: every size, sign extension and addressing form', () => check(gpSingleCases(rng(101)), 'ldst-gp'));
  it('pairs: LDP/STP/LDPSW/LDNP/STNP of W, X, S, D, Q', () => check(pairCases(rng(202)), 'ldst-pair'));
  it('FP/SIMD single-register loads/stores', () => check(fpSingleCases(rng(303)), 'ldst-fp'));
  it('LD1-LD4/ST1-ST4 multiple and single structures, LD1R-LD4R', () => check(structCases(rng(404)), 'ldst-struct'));
  it('exclusives (success and failure paths), LDAR/STLR', () => check(exclusiveCases(rng(505)), 'ldst-excl'));
  it('LSE atomics, CAS and CASP with edge values', () => check(atomicCases(rng(606)), 'ldst-atomic'));
  it('CONSTRAINED UNPREDICTABLE overlaps take the same choice as QEMU', () => check(unpredictableCases(rng(707)), 'ldst-unpred'));
});

describe('load/store reserved encodings', () => {
  const env: CpuEnvironment = { hypervisorCall: () => false };
  const RAM = 0x40000000;

  function runWord(word: number): Cpu {
    const mem = new PhysicalMemory(RAM, 1 << 20);
    const cpu = new Cpu(mem, env);
    cpu.trapHook = stopOnUndefined;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, word >>> 0, true);
    mem.load(RAM, b);
    cpu.pc = BigInt(RAM);
    for (let r = 0; r < 31; r++) cpu.setX(r, BigInt(RAM + 0x1000));
    cpu.setX(31, BigInt(RAM + 0x1000));
    cpu.run(1);
    return cpu;
  }

  const RESERVED: [number, string][] = [
    [0xf9c00000, 'LDR size=11 opc=11 (unsigned offset)'],
    [0xb9c00000, 'size=10 opc=11 (unsigned offset)'],
    [0xf8800400, 'PRFM post-index (size=11 opc=10)'],
    [0xf8800c00, 'PRFM pre-index'],
    [0xf8a00800, 'PRFM unprivileged'],
    [0x3cc00800, 'FP unprivileged (V=1)'],
    [0x7cc00000, 'FP register size=01 opc=11'],
    [0xf8600820, 'register offset with option<1> = 0 (UXTB)'],
    [0xdc000000, 'LDR literal V=1 opc=11'],
    [0xec400000, 'LDP V=1 opc=11'],
    [0x68000000, 'STGP (MTE)'],
    [0x68400000, 'LDNP opc=01 (V=0)'],
    [0x0c408c00, 'LD2 .1d (size=11, Q=0)'],
    [0x48217c82, 'CASP with odd Rs'],
    [0x48207c83, 'CASP with odd Rt'],
    [0x88a07841, 'CAS with Rt2 != 11111'],
    [0x88df7c20, 'LDLAR (FEAT_LOR, not implemented)'],
    [0xb8bfc020, 'LDAPR (FEAT_LRCPC, not implemented)'],
    [0xf8b0c020, 'atomic o3=1 opc=100 with Rs != 11111'],
    [0xf8bfd020, 'atomic o3=1 opc=101'],
    [0x0d40f000, 'LD1R with S=1'],
    [0x0d408c00, 'LD1 single .d with S=1'],
  ];

  for (const [word, why] of RESERVED) {
    it(`0x${word.toString(16).padStart(8, '0')} ${why} stops as undefined`, () => {
      const cpu = runWord(word);
      assert.equal(cpu.stopReason?.kind, 'undefined', JSON.stringify(cpu.stopReason, (_k, v) => typeof v === 'bigint' ? v.toString(16) : v));
    });
  }
});
