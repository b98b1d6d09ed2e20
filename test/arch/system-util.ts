// Small helpers shared by the system and SIMD-move suites.
import { stopOnUndefined } from '../../emulator/debug/trap-hooks';
import { Cpu, type StopReason } from '../../emulator/cpu/cpu';
import { PhysicalMemory } from '../../emulator/cpu/physical-memory';

/** Deterministic PRNG (xorshift32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
}

export const RAM = 0x40000000;

/** A private CPU with 1 MiB of RAM at 0x40000000. */
export function makeCpu(): Cpu {
  const cpu = new Cpu(new PhysicalMemory(RAM, 1 << 20), { hypervisorCall: () => false });
  cpu.trapHook = stopOnUndefined; // report UNDEFINED as a stop instead of entering a vector
  return cpu;
}

/** makeCpu with FP/SIMD enabled at EL1 (CPACR_EL1.FPEN = 0b11), as the QEMU harness snippet sets it. */
export function makeFpCpu(): Cpu {
  const cpu = makeCpu();
  cpu.cpacrEl1 = 0x300000;
  cpu.updateFpTrap();
  return cpu;
}

let nextPage = 0;

/**
 * Places `words` at the start of a fresh 4 KiB page of RAM (never reused for code, so no decoded
 * copy can be stale) and runs them (and nothing after them) on `cpu`. Returns the stop reason,
 * undefined if all of them retired. `lastRunAddress` is where they were placed.
 */
export let lastRunAddress = 0;
export function runWords(cpu: Cpu, words: readonly number[]): StopReason | undefined {
  const at = RAM + 0x10000 + (nextPage++ % 128) * 0x1000;
  lastRunAddress = at;
  words.forEach((w, k) => cpu.mem.write32(at + k * 4, w | 0));
  cpu.stopReason = undefined;
  cpu.pc = BigInt(at);
  cpu.run(words.length);
  return cpu.stopReason;
}

/** 64-bit random value with edge cases mixed in. */
export function rand64(r: () => number): bigint {
  switch (r() % 6) {
    case 0: return 0n;
    case 1: return 0xffffffffffffffffn;
    case 2: return 0x8000000000000000n;
    default: return (BigInt(r()) << 32n) | BigInt(r());
  }
}

export const hex = (v: bigint | number): string => '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);
