// Initial register/memory states for fuzz cases: every value comes from the case's PRNG, with a
// per-case "flavor" so that some cases run on all-zero, all-ones, small or sign-boundary inputs
// (where carries, overflows and extensions go wrong) and others on a mix.
import type { SnippetState } from '../harness/snippet';
import { SCRATCH_BYTES } from '../harness/snippet';
import type { Rng } from './prng';

const M64 = (1n << 64n) - 1n;

export type Flavor = 'mixed' | 'zeros' | 'ones' | 'small' | 'boundary' | 'random';

const BOUNDARY: readonly bigint[] = [
  0n, 1n, M64, M64 - 1n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0xffffffff80000000n, 0xffffffff7fffffffn,
  0x7fffn, 0x8000n, 0xffffn, 0xffffffffffff8000n, 0x7fn, 0x80n, 0xffn, 0xffffffffffffff80n,
  31n, 32n, 63n, 64n, 0x5555555555555555n, 0xaaaaaaaaaaaaaaaan,
];

/** A 64-bit register value of the given flavor. */
export function randomX(rng: Rng, flavor: Flavor): bigint {
  switch (flavor) {
    case 'zeros': return rng.chance(0.8) ? 0n : BigInt(rng.int(4));
    case 'ones': return rng.chance(0.8) ? M64 : rng.pick([0xffffffffn, M64 - 1n, 0x7fffffffffffffffn]);
    case 'small': return rng.chance(0.7) ? BigInt(rng.int(65)) : (-BigInt(rng.range(1, 64))) & M64;
    case 'boundary': return rng.pick(BOUNDARY);
    case 'random': return rng.u64();
    case 'mixed':
    default: {
      switch (rng.int(7)) {
        case 0: return rng.pick(BOUNDARY);
        case 5: return BigInt(rng.u32()) << 32n; // low half zero: W-register views of X values
        case 1: return BigInt(rng.int(129));
        case 2: return BigInt(rng.u32()); // 32-bit, upper half zero
        case 3: return BigInt.asUintN(64, BigInt(rng.u32() | 0)); // sign-extended 32-bit
        default: return rng.u64();
      }
    }
  }
}

const FP64: readonly bigint[] = [
  0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n,
  0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff4000000000000n, 0x0000000000000001n,
  0x000fffffffffffffn, 0x7fefffffffffffffn, 0x0010000000000000n, 0x4000000000000000n,
  // float32 pairs: 1.0|qNaN, +inf|denormal, -0|max, 0.5|-2
  0x3f8000007fc00000n, 0x7f80000000000001n, 0x800000007f7fffffn, 0x3f000000c0000000n,
  // half precision lanes
  0x3c007c00fc007e00n, 0x0001840003ff7bffn,
];

/** A 128-bit vector register value. */
export function randomV(rng: Rng, flavor: Flavor): bigint {
  const half = (): bigint => {
    if (flavor === 'zeros') return 0n;
    if (flavor === 'ones') return M64;
    if (rng.chance(0.3)) return rng.pick(FP64);
    return randomX(rng, flavor === 'small' || flavor === 'boundary' ? flavor : 'random');
  };
  return (half() << 64n) | half();
}

export function pickFlavor(rng: Rng): Flavor {
  const r = rng.int(10);
  return r < 5 ? 'mixed' : (['zeros', 'ones', 'small', 'boundary', 'random'] as const)[r - 5];
}

/**
 * A complete initial state. `scratchBase`: leave X28 to the harness (it then holds the scratch
 * buffer's address); otherwise X28 gets a value like the others.
 */
export function randomState(rng: Rng, opts: { scratchBase: boolean }): SnippetState & { flavor: Flavor } {
  const flavor = pickFlavor(rng);
  const x: (bigint | undefined)[] = [];
  for (let i = 0; i <= 30; i++) x.push(randomX(rng, flavor));
  if (opts.scratchBase) x[28] = undefined; // the harness points X28 at the scratch buffer
  const v: bigint[] = [];
  for (let i = 0; i < 32; i++) v.push(randomV(rng, flavor));
  const scratch = new Uint8Array(SCRATCH_BYTES);
  for (let i = 0; i < SCRATCH_BYTES; i += 8) {
    const q = rng.chance(0.25) ? randomX(rng, 'boundary') : rng.u64();
    for (let b = 0; b < 8; b++) scratch[i + b] = Number((q >> BigInt(8 * b)) & 0xffn);
  }
  return {
    flavor, x: x as bigint[], v, scratch, nzcv: rng.int(16),
    sp: rng.chance(0.5) ? (0x40100000n + BigInt(rng.int(4096) * 16)) : randomX(rng, flavor),
  };
}
