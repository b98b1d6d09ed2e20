// The A64 decode table: the concatenation of the per-class tables. Each class file holds its
// encodings, their semantics and their disassembly side by side.
import type { EncodingSpec } from '../encoding';
import { BRANCH, EXCEPTION_GEN } from './branch';
import { DATA_PROCESSING } from './dp';
import { LOAD_STORE } from './ldst';
import { SYSTEM } from './system';
import { SIMD_MOVE } from './simd-move';

export const A64_TABLE: readonly EncodingSpec[] = [
  ...BRANCH,
  ...EXCEPTION_GEN,
  ...DATA_PROCESSING,
  ...LOAD_STORE,
  ...SYSTEM,
  ...SIMD_MOVE,
];
