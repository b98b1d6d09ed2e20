// Loads and stores: all addressing forms, exclusives, acquire/release, LSE atomics, FP/SIMD loads and stores. Owner: load/store work.
import type { EncodingSpec } from '../encoding';

export const LOAD_STORE: EncodingSpec[] = [];
