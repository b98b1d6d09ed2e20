// The initramfs of the Linux tests: /init is test/linux/init.S (our own static program, no
// FP/SIMD), which prints MARKER and powers off.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cachePath } from '../tools/harness/toolchain';
import { newcArchive } from './cpio';

export const ROOT = resolve(__dirname, '../../..');
export const KERNEL = join(ROOT, '.test-cache/debian/Image');
export const MARKER = 'HVLAB-INIT: hello from userspace';

export function initramfs(): string {
  const init = cachePath('linux', 'init');
  execFileSync('aarch64-linux-gnu-gcc', ['-nostdlib', '-static', '-Wl,--build-id=none', '-o', init, join(ROOT, 'test/linux/init.S')]);
  const cpio = cachePath('linux', 'initramfs.cpio');
  writeFileSync(cpio, newcArchive([{ name: 'init', data: readFileSync(init), mode: 0o100755 }]));
  return cpio;
}
