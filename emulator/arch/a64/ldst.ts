// Loads and stores (Arm ARM C4.1.67): all addressing forms of the general and FP/SIMD registers,
// pairs, literal loads and PRFM, exclusives, load-acquire/store-release, LSE atomics and
// compare-and-swap, and the Advanced SIMD structure loads/stores. The pieces live in ./ldst/.
import type { EncodingSpec } from '../encoding';
import { SINGLE_AND_PAIR } from './ldst/single';
import { EXCLUSIVE } from './ldst/excl';
import { ATOMIC } from './ldst/atomic';
import { SIMD_STRUCT } from './ldst/simd';

export const LOAD_STORE: EncodingSpec[] = [
  ...SINGLE_AND_PAIR,
  ...EXCLUSIVE,
  ...ATOMIC,
  ...SIMD_STRUCT,
];
