// ELF64 little-endian AArch64 executables (System V gABI; AArch64 ELF ABI, IHI 0056).
// Only what a loader needs: the header, the program headers, and PT_LOAD segments.
// Every field is checked so a malformed file gives a message naming the offset, not a crash.

export interface ElfSegment { paddr: number; vaddr: bigint; data: Uint8Array; memsz: number; flags: number }
export interface ElfImage { entry: bigint; segments: ElfSegment[] }

export class ElfError extends Error {}

const PT_LOAD = 1;
const EM_AARCH64 = 183;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export function parseElf(bytes: Uint8Array, name = 'ELF file'): ElfImage {
  const fail = (off: number, msg: string): never => { throw new ElfError(`${name}: offset 0x${off.toString(16)}: ${msg}`); };
  if (bytes.length < 64) fail(0, `too short for an ELF64 header (${bytes.length} bytes)`);
  if (!isElf(bytes)) fail(0, 'not an ELF file (bad magic)');
  if (bytes[4] !== 2) fail(4, 'not ELFCLASS64');
  if (bytes[5] !== 1) fail(5, 'not little-endian (ELFDATA2LSB)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = dv.getUint16(16, true);
  if (type !== 2 && type !== 3) fail(16, `e_type ${type} is not an executable (ET_EXEC/ET_DYN)`);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_AARCH64) fail(18, `e_machine ${machine} is not AArch64 (${EM_AARCH64})`);
  const entry = dv.getBigUint64(24, true);
  const phoff = Number(dv.getBigUint64(32, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phnum === 0) fail(56, 'no program headers');
  if (phentsize < 56) fail(54, `e_phentsize ${phentsize} is smaller than an Elf64_Phdr (56)`);
  if (phoff + phnum * phentsize > bytes.length) fail(32, `program headers (0x${phoff.toString(16)} + ${phnum}x${phentsize}) run past the end of the file`);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (dv.getUint32(ph, true) !== PT_LOAD) continue;
    const flags = dv.getUint32(ph + 4, true);
    const offset = Number(dv.getBigUint64(ph + 8, true));
    const vaddr = dv.getBigUint64(ph + 16, true);
    const paddr = dv.getBigUint64(ph + 24, true);
    const filesz = Number(dv.getBigUint64(ph + 32, true));
    const memsz = Number(dv.getBigUint64(ph + 40, true));
    if (filesz > memsz) fail(ph + 32, `segment ${i}: p_filesz 0x${filesz.toString(16)} exceeds p_memsz 0x${memsz.toString(16)}`);
    if (offset + filesz > bytes.length) fail(ph + 8, `segment ${i}: file data (0x${offset.toString(16)} + 0x${filesz.toString(16)}) runs past the end of the file`);
    if (paddr >= 1n << 48n) fail(ph + 24, `segment ${i}: p_paddr 0x${paddr.toString(16)} is beyond the 48-bit physical address space`);
    segments.push({ paddr: Number(paddr), vaddr, data: bytes.subarray(offset, offset + filesz), memsz, flags });
  }
  if (!segments.length) fail(phoff, 'no PT_LOAD segment');
  return { entry, segments };
}
