// Random load/store encodings vs QEMU: for every encoding of the class (literal loads aside), words
// with random fields that `fuzzOk` accepts, the base register forced to X27 = scratch + 128, and
// kept only if every access they make stays inside the 256-byte scratch buffer (checked by a trial
// run on a private hvlab CPU). One instruction per case, emitted as `.inst`.
import { stopOnUndefined } from '../../emulator/debug/trap-hooks';
import { strict as assert } from 'node:assert';
import { Cpu } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';
import { LOAD_STORE } from '../../emulator/arch/a64/ldst';
import { compilePattern } from '../../emulator/arch/encoding';
import { describeMismatches, diffSnippets } from '../tools/harness/diff';
import { edgeScratch, regs, rng, type Case } from './ldst-cases';

const RAM = 0x40000000, TRIAL_SCRATCH = 0x40080000;

/** A CPU whose memory records the lowest and highest byte touched. */
function trialCpu(): { cpu: Cpu; range: { lo: number; hi: number } } {
  const mem = new PhysicalMemory(RAM, 1 << 20);
  const range = { lo: Infinity, hi: -Infinity };
  const m = mem as unknown as Record<string, (pa: number, ...rest: unknown[]) => unknown>;
  for (const [name, size] of [['read8', 1], ['read16', 2], ['read32', 4], ['write8', 1], ['write16', 2], ['write32', 4]] as [string, number][]) {
    const orig = m[name].bind(mem);
    m[name] = (pa: number, ...rest: unknown[]) => {
      range.lo = Math.min(range.lo, pa); range.hi = Math.max(range.hi, pa + size - 1);
      return orig(pa, ...rest);
    };
  }
  const cpu = new Cpu(mem, { hypervisorCall: () => false });
  cpu.setFastMemory(false); // every access through the wrapped PhysicalMemory methods above
  cpu.trapHook = stopOnUndefined;
  return { cpu, range };
}

function randomCases(perEncoding: number, seed: number, filter: (name: string) => boolean): Case[] {
  const rand = rng(seed);
  const { cpu, range } = trialCpu();
  const cases: Case[] = [];
  for (const spec of LOAD_STORE) {
    if (spec.name.includes('loadlit') || !filter(spec.name)) continue;
    const e = compilePattern(spec);
    let got = 0;
    for (let attempt = 0; attempt < 400 && got < perEncoding; attempt++) {
      const w = ((e.value | (rand() & ~e.mask)) & ~(31 << 5)) | (27 << 5);
      if ((w & e.mask) >>> 0 !== e.value) continue;
      if (spec.fuzzOk && !spec.fuzzOk(w | 0)) continue;
      // Half the registers small (usable as offsets), half arbitrary.
      const x = regs((i) => (i % 2 === 0 ? BigInt(rand() & 7) : (BigInt(rand()) << 32n) | BigInt(rand())));
      // trial run
      for (let i = 0; i < 31; i++) cpu.setX(i, x[i] ?? 0n);
      cpu.setX(28, BigInt(TRIAL_SCRATCH));
      cpu.setX(27, BigInt(TRIAL_SCRATCH + 128));
      cpu.setX(31, 0x40100000n);
      cpu.stopReason = undefined;
      range.lo = Infinity; range.hi = -Infinity;
      cpu.pcLo = RAM | 0; cpu.pcHi = 0;
      try { spec.exec(cpu, w | 0); } catch { continue; }
      if (cpu.stopReason) continue;
      // X28 (the scratch base) and X26 (used after the instruction) must survive it
      if (cpu.getX(28) !== BigInt(TRIAL_SCRATCH) || cpu.getX(26) !== (x[26] ?? 0n)) continue;
      if (range.lo !== Infinity && (range.lo < TRIAL_SCRATCH || range.hi >= TRIAL_SCRATCH + 256)) continue;
      got++;
      cases.push({ state: { x, scratch: edgeScratch(rand) }, body: ['add x27, x28, #128', `.inst 0x${(w >>> 0).toString(16)}`,
        // leave the exclusive monitor clear: QEMU's survives into the next case
        'add x26, x28, #248', 'stxr w26, xzr, [x26]'] });
    }
  }
  return cases;
}

/** Runs the cases in batches (QEMU's dump of ~250 cases fills spawnSync's default buffer). */
function check(cases: Case[], tag: string): void {
  const bad: string[] = [];
  let ok = 0;
  for (let k = 0; k < cases.length; k += 200) {
    const r = diffSnippets(cases.slice(k, k + 200), `${tag}-${k / 200}`);
    bad.push(...describeMismatches(r).map((l) => l.slice(0, 600)));
    ok += r.results.filter((c) => c.diffs.length === 0 && c.qemu.length > 0).length;
  }
  console.log(`      ${tag}: ${ok}/${cases.length} random-encoding cases identical to QEMU`);
  assert.deepEqual(bad.slice(0, 10), []);
  assert.equal(ok, cases.length);
}

describe('load/store random encodings vs QEMU', function () {
  this.timeout(180000);
  it('general and FP/SIMD register forms (single, pair)', () => check(randomCases(2, 0xa11, (n) => /_ldst(_|pair|napair)/.test(n)), 'ldst-rand-single'));
  it('exclusives, ordered, atomics, CAS', () => check(randomCases(2, 0xb22, (n) => /ldstexcl|memop/.test(n)), 'ldst-rand-excl'));
  it('SIMD structures', () => check(randomCases(1, 0xc33, (n) => /asisdls/.test(n)), 'ldst-rand-struct'));
});
