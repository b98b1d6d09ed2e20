// The Linux tests' kernel and initramfs, both made by `node scripts/setup.mjs`: Debian's arm64
// kernel (scripts/fetch-debian.mjs, never committed) and an initramfs whose /init is
// test/linux/init.S (our own static program, no FP/SIMD), which prints MARKER and powers off
// (scripts/build-guests.mjs packs it). examples/systems/linux-rtos uses the same two files.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const KERNEL = join(ROOT, '.test-cache/debian/Image');
export const INITRAMFS = join(ROOT, '.test-cache/linux/initramfs.cpio');
export const MARKER = 'HVLAB-INIT: hello from userspace';

export function initramfs(): string {
  if (!existsSync(INITRAMFS)) throw new Error(`${INITRAMFS} is missing: run \`node scripts/setup.mjs\` (scripts/build-guests.mjs builds it)`);
  return INITRAMFS;
}
