// The cross toolchain (gcc-aarch64-linux-gnu, installed by scripts/setup.mjs) wrapped for tests:
// assemble and link small bare-metal programs for the `virt` board, cached by content hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CACHE_DIR = resolve(__dirname, '../../../../.test-cache');
/** Where bare-metal test programs are linked: above the 0x40000000 area where QEMU puts a DTB. */
export const LOAD_ADDRESS = 0x40200000;

export function cachePath(...parts: string[]): string {
  const dir = join(CACHE_DIR, ...parts.slice(0, -1));
  mkdirSync(dir, { recursive: true });
  return join(dir, parts[parts.length - 1]);
}

/** Assembles and links one assembly source into an ELF at LOAD_ADDRESS; returns its path. */
export function buildAsm(source: string, tag = 'snippet'): string {
  const h = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const elf = cachePath('asm', `${tag}-${h}.elf`);
  if (existsSync(elf)) return elf;
  const src = cachePath('asm', `${tag}-${h}.S`);
  writeFileSync(src, source);
  const obj = src.replace(/\.S$/, '.o');
  // -march: the base ISA plus the extensions hvlab advertises (LSE atomics, CRC32).
  execFileSync('aarch64-linux-gnu-gcc', ['-c', '-march=armv8.1-a+crc', '-o', obj, src], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('aarch64-linux-gnu-ld', ['-nostdlib', '-static', `-Ttext=0x${LOAD_ADDRESS.toString(16)}`, '-e', '_start', '-o', elf, obj], { stdio: ['ignore', 'ignore', 'pipe'] });
  return elf;
}

export function readElf(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
