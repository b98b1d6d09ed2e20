// The A64 decode table: the concatenation of the per-class tables. Each class file holds its
// encodings, their semantics and their disassembly side by side.
import type { EncodingSpec } from '../encoding';
import { BRANCH, EXCEPTION_GEN } from './branch';
import { DATA_PROCESSING } from './dp';
import { LOAD_STORE } from './ldst';
import { SYSTEM } from './system';
import { SIMD_MOVE } from './simd-move';
import { takeFpTrap } from '../../cpu/fp-traps';

/**
 * FP/SIMD encodings (the ldst-simd and simd-move classes) check CPACR_EL1.FPEN and CPTR_ELx.TFP
 * first (Arm ARM AArch64.CheckFPAdvSIMDEnabled, at the start of each such instruction's
 * pseudocode): one field test of the precomputed trap target (see emulator/cpu/fp-traps.ts).
 */
function fpChecked(spec: EncodingSpec): EncodingSpec {
  if (spec.cls !== 'ldst-simd' && spec.cls !== 'simd-move') return spec;
  const run = spec.exec;
  return { ...spec, exec: (cpu, i) => { if (cpu.fpTrapEl !== 0) takeFpTrap(cpu, cpu.fpTrapEl); run(cpu, i); } };
}

export const A64_TABLE: readonly EncodingSpec[] = [
  ...BRANCH,
  ...EXCEPTION_GEN,
  ...DATA_PROCESSING,
  ...LOAD_STORE.map(fpChecked),
  ...SYSTEM,
  ...SIMD_MOVE.map(fpChecked),
];
