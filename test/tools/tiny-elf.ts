// A minimal valid ELF64 AArch64 executable for tests: one PT_LOAD segment holding `code` at
// `paddr` (file data at offset 120), followed by `bss` zero bytes of memory.
export function tinyElf(code: Uint8Array, paddr = 0x40200000n, entry = paddr, bss = 16): Uint8Array {
  const buf = new Uint8Array(64 + 56 + code.length);
  const dv = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  dv.setUint16(16, 2, true); dv.setUint16(18, 183, true); dv.setUint32(20, 1, true);
  dv.setBigUint64(24, entry, true); dv.setBigUint64(32, 64n, true);
  dv.setUint16(52, 64, true); dv.setUint16(54, 56, true); dv.setUint16(56, 1, true);
  const ph = 64;
  dv.setUint32(ph, 1, true); dv.setUint32(ph + 4, 5, true);
  dv.setBigUint64(ph + 8, 120n, true); dv.setBigUint64(ph + 16, paddr, true); dv.setBigUint64(ph + 24, paddr, true);
  dv.setBigUint64(ph + 32, BigInt(code.length), true); dv.setBigUint64(ph + 40, BigInt(code.length + bss), true);
  buf.set(code, 120);
  return buf;
}
