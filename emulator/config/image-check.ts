// Recognises the kernel images hvlab can load: an ELF64 AArch64 file, or the arm64 Linux
// `Image` format (its header has the magic "ARM\x64" at offset 0x38).

import { KernelFormat } from './types';

export const IMAGE_HEAD_BYTES = 64;

const EM_AARCH64 = 183;

export type ImageCheck = { ok: true; format: KernelFormat } | { ok: false; reason: string };

export function identifyKernel(head: Uint8Array): ImageCheck {
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) {
    if (head.length < 20) return { ok: false, reason: 'is a truncated ELF file' };
    if (head[4] !== 2) return { ok: false, reason: 'is a 32-bit ELF file (ELFCLASS32); hvlab runs 64-bit AArch64 kernels' };
    if (head[5] !== 1) return { ok: false, reason: 'is a big-endian ELF file; hvlab runs little-endian AArch64 kernels' };
    const machine = head[18] | (head[19] << 8);
    if (machine !== EM_AARCH64) {
      return { ok: false, reason: `is an ELF file for another architecture (e_machine ${machine}, expected ${EM_AARCH64}, AArch64)` };
    }
    return { ok: true, format: 'elf64' };
  }
  if (head.length >= 0x3c && head[0x38] === 0x41 && head[0x39] === 0x52 && head[0x3a] === 0x4d && head[0x3b] === 0x64) {
    return { ok: true, format: 'arm64-image' };
  }
  return { ok: false, reason: 'is neither an ELF64 AArch64 file nor an arm64 Image (no "ARM\\x64" magic at offset 0x38)' };
}

/** A flattened device tree starts with the big-endian magic 0xd00dfeed. */
export function isFlattenedDeviceTree(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0xd0 && head[1] === 0x0d && head[2] === 0xfe && head[3] === 0xed;
}

/** A minimal valid header of each kind, for tests and examples that need a loadable file. */
export function minimalElf64Header(): Uint8Array {
  const h = new Uint8Array(64);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  h[16] = 2; // ET_EXEC
  h[18] = EM_AARCH64;
  h[20] = 1; // EV_CURRENT
  return h;
}

export function minimalArm64ImageHeader(): Uint8Array {
  const h = new Uint8Array(64);
  h.set([0x41, 0x52, 0x4d, 0x64], 0x38);
  return h;
}
