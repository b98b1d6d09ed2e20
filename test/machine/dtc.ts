// dtc (device-tree-compiler, installed by scripts/setup.mjs) wrapped for the DTB tests.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';

/** dtc's DTS for a blob (dtc reads the blob from stdin). */
export function dtcDecompile(blob: Uint8Array): { dts: string; stderr: string } {
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', '-'], { input: blob, encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `dtc failed: ${r.stderr}`);
  return { dts: r.stdout, stderr: r.stderr };
}

/** dtc compiles DTS source to a blob, for reading blobs we did not write. */
export function dtcCompile(dts: string): Uint8Array {
  const r = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-q', '-'], { input: dts });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `dtc failed: ${r.stderr.toString()}`);
  return new Uint8Array(r.stdout);
}

