// Data processing (immediate and register): arithmetic, logical, move-wide, bitfield, extract, conditional select/compare, multiply/divide, one- and two-source (CLZ, RBIT, REV, CRC32, shifts). Owner: data-processing work.
import type { EncodingSpec } from '../encoding';

export const DATA_PROCESSING: EncodingSpec[] = [];
