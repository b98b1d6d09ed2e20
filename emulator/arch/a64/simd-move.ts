// FP/SIMD register moves: FMOV, DUP, INS, UMOV/SMOV, MOVI/MVNI and friends, vector ORR (MOV alias). Owner: SIMD-move work.
import type { EncodingSpec } from '../encoding';

export const SIMD_MOVE: EncodingSpec[] = [];
