// System instructions: hints, barriers, CLREX, MSR/MRS (the registers the base ISA needs), SYS. Owner: system work.
import type { EncodingSpec } from '../encoding';

export const SYSTEM: EncodingSpec[] = [];
