// Data processing (immediate and register): arithmetic, logical, move-wide, bitfield, extract, conditional select/compare, multiply/divide, one- and two-source (CLZ, RBIT, REV, CRC32, shifts). Owner: data-processing work.
// The encodings live in dp/: imm.ts (C4.1.66), reg.ts and muldiv.ts (C4.1.68).
import type { EncodingSpec } from '../encoding';
import { DP_IMM } from './dp/imm';
import { DP_REG } from './dp/reg';
import { DP_MULDIV } from './dp/muldiv';

export const DATA_PROCESSING: EncodingSpec[] = [...DP_IMM, ...DP_REG, ...DP_MULDIV];
