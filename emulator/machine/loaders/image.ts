// Kernel, initrd and DTB placement for `-kernel/-initrd/-dtb` on the virt board, following QEMU
// 7.2's hw/arm/boot.c (arm_setup_direct_kernel_boot, load_aarch64_image, arm_load_dtb) so that a
// guest finds everything where it would under QEMU. Checked against QEMU itself in
// test/machine/image.test.ts (a probe Image prints x0..x4 and its load address).
//
// The arm64 Linux Image format (Linux Documentation/arch/arm64/booting.rst, section 4): a 64-byte
// little-endian header
//   0x00 code0/code1 | 0x08 text_offset (u64) | 0x10 image_size (u64) | 0x18 flags (u64)
//   | 0x20..0x37 res2-res4 | 0x38 magic "ARM\x64" | 0x3c res5
// flags: bit 0 kernel endianness (1 = big), bits 1-2 page size (0 unspecified, 1 4K, 2 16K,
// 3 64K), bit 3 placement (1 = anywhere 2 MiB aligned), bits 4-63 reserved.
//
// QEMU's rules, which this module reproduces:
// - Formats tried in order: ELF (not Linux: no initrd, PC = e_entry, x0 = 0, DTB at the RAM base
//   when the ELF leaves room below itself), then for AArch64 everything else goes through
//   load_aarch64_image: a gzip stream (1f 8b) is inflated first (at most 64 MiB), then a file with
//   the magic is an Image, anything else a raw kernel. (uImage is not supported here.)
// - Image with image_size != 0: loaded at RAM base + text_offset, plus 2 MiB when text_offset is
//   below 4 KiB (QEMU keeps its boot stub at the RAM base). image_size == 0 (kernels before 3.17)
//   or no header: RAM base + 0x80000, and the file size stands for the kernel size. QEMU ignores
//   the flags' placement bit; since the virt RAM base is 2 MiB aligned, both readings agree.
// - initrd at RAM base + min(RAM/2, 128 MiB), or right after the kernel's image_size if that is
//   higher, page aligned (4 KiB); loaded raw.
// - DTB 2 MiB aligned after the initrd's end (or after where the initrd would be).
// - Linux entry state: QEMU runs a 6-instruction stub at the RAM base (ldr x0, =dtb; x1..x3 = 0;
//   ldr x4, =entry; br x4). The plan includes those bytes (the guest can see them in RAM) and the
//   register state they leave: x0 = DTB, x1 = x2 = x3 = 0, x4 = entry, PC = entry. MMU off, caches
//   off, DAIF masked and the EL (EL2 with virtualization=on, else EL1) are the CPU reset's job.
//
// Integration (board):
//   const plan = planLinuxBoot({ kernel: readFileSync(k), kernelName: k, initrd, ramBase: VIRT.RAM,
//     ramSize: mem, dtb: (i) => writeDtb(buildVirtDtb({ ..., initrd: i.initrdStart === undefined
//       ? undefined : { start: i.initrdStart, end: i.initrdEnd! } })) });
//   for (const s of plan.segments) this.mem.load(s.pa, s.bytes);
//   cpu0.pc = BigInt(plan.entry); setX(cpu0, 0, plan.x0); setX(cpu0, 4, plan.x4 ?? 0);
import { gunzipSync } from 'node:zlib';
import { parseElf, isElf } from './elf';

export class ImageError extends Error {}

export interface LoadSegment { pa: number; bytes: Uint8Array }

export interface LoadPlan {
  /** What to copy into guest physical memory, in order (later segments never overlap earlier ones). */
  segments: LoadSegment[];
  /** Initial PC of the boot CPU. */
  entry: number;
  /** x0 at entry: the DTB address for Linux, 0 for an ELF (QEMU passes nothing). */
  x0: number;
  /** x4 at entry when QEMU's boot stub ran (it holds the entry address); x1..x3 are 0. */
  x4?: number;
  dtbAddress?: number;
  initrdStart?: number;
  initrdEnd?: number;
  format: 'image' | 'image-gzip' | 'raw' | 'raw-gzip' | 'elf';
  /** Physical [start, end) the kernel claims (image_size for an Image, file size otherwise). */
  kernelStart: number;
  kernelEnd: number;
  /** Things QEMU silently tolerates that the user may want to know about. */
  warnings: string[];
}

export interface ImageHeader {
  textOffset: bigint;
  imageSize: bigint;
  flags: bigint;
  bigEndian: boolean;
  /** 0 = unspecified, else 4096, 16384 or 65536. */
  pageSize: number;
  /** flags bit 3: may be placed anywhere 2 MiB aligned in RAM. */
  placeAnywhere: boolean;
}

export const ARM64_MAGIC_OFFSET = 0x38;
const ARM64_MAGIC = [0x41, 0x52, 0x4d, 0x64]; // "ARM\x64"
/** QEMU's KERNEL64_LOAD_ADDR: where raw kernels and pre-3.17 Images go. */
export const KERNEL64_LOAD_OFFSET = 0x80000;
/** QEMU's BOOTLOADER_MAX_SIZE: text_offsets below this get 2 MiB added. */
const BOOTLOADER_MAX_SIZE = 4096;
/** QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES. */
export const MAX_GUNZIP_BYTES = 64 * 1024 * 1024;
const MiB = 1024 * 1024;
const PAGE = 4096;

const hex = (v: number | bigint): string => '0x' + v.toString(16);
const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

export function hasImageMagic(b: Uint8Array): boolean {
  // QEMU checks `size > ARM64_MAGIC_OFFSET + 4`.
  return b.length > ARM64_MAGIC_OFFSET + 4 && ARM64_MAGIC.every((m, i) => b[ARM64_MAGIC_OFFSET + i] === m);
}

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Inflates a gzip stream (QEMU load_image_gzipped_buffer); errors name the file. */
export function gunzip(b: Uint8Array, name: string, limit = MAX_GUNZIP_BYTES): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(b, { maxOutputLength: limit }));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE') throw new ImageError(`${name}: offset 0x0: gzip stream inflates to more than ${limit / MiB} MiB`);
    throw new ImageError(`${name}: offset 0x0: gzip stream is corrupt (${err.message})`);
  }
}

/**
 * Parses the arm64 Image header; undefined when the file has no magic (a raw kernel). Faults
 * that make the header unusable throw an ImageError naming the field's offset.
 */
export function parseImageHeader(b: Uint8Array, name = 'Image'): ImageHeader | undefined {
  if (!hasImageMagic(b)) return undefined;
  const fail = (off: number, msg: string): never => { throw new ImageError(`${name}: offset ${hex(off)}: ${msg}`); };
  if (b.length < 64) fail(0x3c, `arm64 Image header is truncated (file is ${b.length} bytes, the header 64)`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const textOffset = dv.getBigUint64(0x08, true);
  const imageSize = dv.getBigUint64(0x10, true);
  const flags = dv.getBigUint64(0x18, true);
  const bigEndian = (flags & 1n) !== 0n;
  if (bigEndian) fail(0x18, 'flags bit 0 says the kernel is big-endian; hvlab runs little-endian only');
  if (imageSize !== 0n && imageSize < BigInt(b.length)) {
    fail(0x10, `image_size ${hex(imageSize)} is smaller than the file (${hex(b.length)} bytes)`);
  }
  if (imageSize !== 0n && textOffset + imageSize >= 1n << 48n) fail(0x08, `text_offset ${hex(textOffset)} + image_size ${hex(imageSize)} is beyond a 48-bit address space`);
  const ps = Number((flags >> 1n) & 3n);
  return { textOffset, imageSize, flags, bigEndian, pageSize: ps === 0 ? 0 : [0, 4096, 16384, 65536][ps], placeAnywhere: (flags & 8n) !== 0n };
}

export interface LinuxBootOptions {
  kernel: Uint8Array;
  kernelName?: string;
  initrd?: Uint8Array;
  initrdName?: string;
  ramBase: number;
  ramSize: number;
  /**
   * Builds the DTB once the initrd's place is known (QEMU writes linux,initrd-* into /chosen).
   * Return undefined for no DTB (then x0 = 0 and nothing is placed).
   */
  dtb?: (info: { initrdStart?: number; initrdEnd?: number }) => Uint8Array | undefined;
}

/** Plans a Linux boot of an Image, gzipped Image, or raw kernel (not ELF: see planKernelBoot). */
export function planLinuxBoot(o: LinuxBootOptions): LoadPlan {
  const name = o.kernelName ?? 'kernel';
  const ramEnd = o.ramBase + o.ramSize;
  const warnings: string[] = [];
  const gz = isGzip(o.kernel);
  const data = gz ? gunzip(o.kernel, name) : o.kernel;
  const hdr = parseImageHeader(data, gz ? `${name} (inflated)` : name);
  let loadOffset = KERNEL64_LOAD_OFFSET;
  let kernelSize = data.length;
  if (hdr && hdr.imageSize !== 0n) {
    kernelSize = Number(hdr.imageSize);
    loadOffset = Number(hdr.textOffset);
    if (loadOffset < BOOTLOADER_MAX_SIZE) loadOffset += 2 * MiB;
    if (hdr.flags >> 4n) warnings.push(`${name}: Image flags ${hex(hdr.flags)} set reserved bits 4-63`);
  } else if (hdr) {
    warnings.push(`${name}: image_size is 0 (a kernel before 3.17): text_offset ignored, loaded at RAM + 0x80000 as QEMU does`);
  }
  if (kernelSize > o.ramSize) {
    throw new ImageError(`${name}: kernel is too large to fit in RAM (kernel size ${kernelSize}, RAM size ${o.ramSize})`);
  }
  const entry = o.ramBase + loadOffset;
  if (entry + data.length > ramEnd) {
    throw new ImageError(`${name}: kernel at ${hex(entry)}..${hex(entry + data.length)} runs past the end of RAM (${hex(ramEnd)})`);
  }
  const segments: LoadSegment[] = [];
  const kernelEnd = entry + kernelSize;

  let initrdStart = o.ramBase + Math.min(Math.floor(o.ramSize / 2), 128 * MiB);
  initrdStart = alignUp(Math.max(initrdStart, kernelEnd), PAGE);
  let initrdSize = 0;
  if (o.initrd) {
    const iname = o.initrdName ?? 'initrd';
    if (initrdStart >= ramEnd) throw new ImageError(`${iname}: not enough space after kernel to load initrd (kernel ends at ${hex(kernelEnd)}, RAM at ${hex(ramEnd)})`);
    if (initrdStart + o.initrd.length > ramEnd) {
      throw new ImageError(`${iname}: could not load initrd: too big to fit into RAM after the kernel (${o.initrd.length} bytes at ${hex(initrdStart)}, RAM ends at ${hex(ramEnd)})`);
    }
    initrdSize = o.initrd.length;
  }

  const plan: LoadPlan = {
    segments, entry, x0: 0, x4: entry, format: hdr ? (gz ? 'image-gzip' : 'image') : (gz ? 'raw-gzip' : 'raw'),
    kernelStart: entry, kernelEnd, warnings,
  };
  if (o.initrd) { plan.initrdStart = initrdStart; plan.initrdEnd = initrdStart + initrdSize; }

  const dtb = o.dtb?.({ initrdStart: plan.initrdStart, initrdEnd: plan.initrdEnd });
  if (dtb) {
    // Some AArch64 kernels map the DTB's 2 MiB-aligned window early; QEMU pre-aligns to 2 MiB.
    const dtbStart = alignUp(initrdStart + initrdSize, 2 * MiB);
    if (dtbStart >= ramEnd) throw new ImageError(`Not enough space for DTB after kernel/initrd (would start at ${hex(dtbStart)}, RAM ends at ${hex(ramEnd)})`);
    if (dtbStart + dtb.length > ramEnd) throw new ImageError(`DTB of ${dtb.length} bytes at ${hex(dtbStart)} runs past the end of RAM (${hex(ramEnd)})`);
    plan.dtbAddress = dtbStart;
    plan.x0 = dtbStart;
  }
  segments.push({ pa: o.ramBase, bytes: bootStub(plan.x0, entry) });
  segments.push({ pa: entry, bytes: data });
  if (o.initrd) segments.push({ pa: initrdStart, bytes: o.initrd });
  if (dtb && plan.dtbAddress !== undefined) segments.push({ pa: plan.dtbAddress, bytes: dtb });
  return plan;
}

/** QEMU's bootloader_aarch64 (hw/arm/boot.c) with its DTB and entry words filled in. */
export function bootStub(dtb: number, entry: number): Uint8Array {
  const words = [
    0x580000c0, // ldr x0, arg
    0xaa1f03e1, // mov x1, xzr
    0xaa1f03e2, // mov x2, xzr
    0xaa1f03e3, // mov x3, xzr
    0x58000084, // ldr x4, entry
    0xd61f0080, // br x4
    dtb >>> 0, Math.floor(dtb / 2 ** 32),
    entry >>> 0, Math.floor(entry / 2 ** 32),
  ];
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w, true));
  return b;
}

export interface ElfBootOptions {
  elf: Uint8Array;
  name?: string;
  ramBase: number;
  ramSize: number;
  dtb?: () => Uint8Array | undefined;
}

/**
 * An ELF kernel as QEMU boots it: not treated as Linux, so no initrd and no boot stub; PC =
 * e_entry with x0 = 0. The DTB still goes into RAM at the RAM base when the ELF leaves room below
 * its lowest segment (or lies wholly below the RAM base), and is left out when it does not fit.
 */
export function planElfBoot(o: ElfBootOptions): LoadPlan {
  const name = o.name ?? 'ELF file';
  const img = parseElf(o.elf, name);
  const ramEnd = o.ramBase + o.ramSize;
  const segments: LoadSegment[] = [];
  let low = Infinity, high = 0;
  for (const s of img.segments) {
    const end = s.paddr + s.memsz;
    if (s.paddr < o.ramBase || end > ramEnd) {
      throw new ImageError(`${name}: segment at ${hex(s.paddr)}-${hex(end)} is outside RAM (${hex(o.ramBase)}, ${o.ramSize / MiB} MiB)`);
    }
    low = Math.min(low, s.paddr);
    high = Math.max(high, end);
    segments.push({ pa: s.paddr, bytes: s.data });
    if (s.memsz > s.data.length) segments.push({ pa: s.paddr + s.data.length, bytes: new Uint8Array(s.memsz - s.data.length) });
  }
  if (high - low > o.ramSize) throw new ImageError(`${name}: kernel is too large to fit in RAM (kernel size ${high - low}, RAM size ${o.ramSize})`);
  const plan: LoadPlan = { segments, entry: Number(img.entry), x0: 0, format: 'elf', kernelStart: low, kernelEnd: high, warnings: [] };
  if (low > o.ramBase || high < o.ramBase) {
    const dtb = o.dtb?.();
    const limit = low < o.ramBase ? Infinity : low;
    if (dtb && o.ramBase + dtb.length <= Math.min(limit, ramEnd)) {
      plan.dtbAddress = o.ramBase;
      segments.unshift({ pa: o.ramBase, bytes: dtb });
    } else if (dtb) {
      plan.warnings.push(`${name}: no room for the ${dtb.length}-byte DTB below the kernel at ${hex(low)}; DTB not loaded`);
    }
  }
  return plan;
}

/** Dispatches on the file's format the way QEMU's -kernel does: ELF first, else Linux Image/raw. */
export function planKernelBoot(o: LinuxBootOptions): LoadPlan {
  if (isElf(o.kernel)) {
    const plan = planElfBoot({ elf: o.kernel, name: o.kernelName, ramBase: o.ramBase, ramSize: o.ramSize, dtb: o.dtb && (() => o.dtb!({})) });
    if (o.initrd) plan.warnings.push(`${o.initrdName ?? 'initrd'}: ignored for an ELF kernel (QEMU loads an initrd only for Linux Images)`);
    return plan;
  }
  return planLinuxBoot(o);
}
