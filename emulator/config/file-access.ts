// How the validator reads files. The command line and the hypervisor read the disk; the
// language server reads its open editor buffers first (what the user sees, saved or not)
// and the disk for everything else. Paths are absolute by the time they get here.

import * as fs from 'node:fs';

export interface FileAccess {
  /** Text of a config file, or undefined if it cannot be read. */
  readText(path: string): string | undefined;
  /** The first `length` bytes of a file (kernel magic checks), or undefined if it is missing. */
  readHead(path: string, length: number): Uint8Array | undefined;
}

export const diskFileAccess: FileAccess = {
  readText(path: string): string | undefined {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  readHead(path: string, length: number): Uint8Array | undefined {
    let fd: number | undefined;
    try {
      if (!fs.statSync(path).isFile()) return undefined;
      fd = fs.openSync(path, 'r');
      const buf = Buffer.alloc(length);
      const n = fs.readSync(fd, buf, 0, length, 0);
      return new Uint8Array(buf.subarray(0, n));
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
};

/** Open buffers (by absolute path) over another FileAccess. */
export function overlayFileAccess(buffers: (path: string) => string | undefined, base: FileAccess): FileAccess {
  return {
    readText: (path) => buffers(path) ?? base.readText(path),
    readHead: (path, length) => {
      const text = buffers(path);
      return text !== undefined ? new TextEncoder().encode(text).subarray(0, length) : base.readHead(path, length);
    },
  };
}

/** In-memory files, for tests and tools that validate text that is not on disk. */
export function memoryFileAccess(files: Record<string, string | Uint8Array>): FileAccess {
  return {
    readText: (path) => {
      const f = files[path];
      return f === undefined ? undefined : typeof f === 'string' ? f : new TextDecoder().decode(f);
    },
    readHead: (path, length) => {
      const f = files[path];
      if (f === undefined) return undefined;
      return (typeof f === 'string' ? new TextEncoder().encode(f) : f).subarray(0, length);
    },
  };
}
