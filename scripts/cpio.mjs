// A minimal initramfs writer: the "newc" cpio format the Linux kernel unpacks
// (Documentation/driver-api/early-userspace/buffer-format.rst): per file a 110-byte ASCII header
// of 13 hex fields, the NUL-terminated name, data, each padded to 4 bytes; then TRAILER!!!.
// Used by build-guests.mjs for the Linux tests' and example's initramfs.

/** @param {{ name: string, data: Uint8Array, mode: number }[]} files @returns {Buffer} */
export function newcArchive(files) {
  const parts = [];
  let size = 0;
  const push = (b) => { parts.push(b); size += b.length; };
  const pad = () => { if (size % 4) push(Buffer.alloc(4 - (size % 4))); };
  const entry = (name, data, mode, ino) => {
    const nameBytes = Buffer.from(name + '\0', 'latin1');
    // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
    const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0];
    push(Buffer.from('070701' + fields.map((v) => v.toString(16).padStart(8, '0')).join(''), 'latin1'));
    push(nameBytes);
    pad();
    push(Buffer.from(data));
    pad();
  };
  files.forEach((f, i) => entry(f.name, f.data, f.mode, i + 1));
  entry('TRAILER!!!', new Uint8Array(0), 0, 0);
  if (size % 512) push(Buffer.alloc(512 - (size % 512)));
  return Buffer.concat(parts);
}
