// Shared by the differential suites: where QEMU's and hvlab's outputs part, and the bare-metal
// system programs (test/system-programs) with their `#include "file"` lines expanded (buildAsm
// compiles one file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SYSTEM_PROGRAMS = join(__dirname, '../../../../test/system-programs');

/** The first line where the two outputs differ, with the line before it, for a failure message. */
export function firstDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const e = expected.split('\n'), a = actual.split('\n');
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const show = (s: string | undefined): string => (s === undefined ? '(end of output)' : JSON.stringify(s));
  return `first difference at line ${i + 1} (QEMU printed ${e.length} lines, hvlab ${a.length}):\n` +
    (i > 0 ? `  same:  ${show(e[i - 1])}\n` : '') + `  qemu:  ${show(e[i])}\n  hvlab: ${show(a[i])}`;
}

/** A system program's source with its includes expanded (recursively). */
export function systemProgram(name: string): string {
  return readFileSync(join(SYSTEM_PROGRAMS, name), 'utf8').replace(/^#include "([^"]+)"$/gm, (_line, inc: string) => systemProgram(inc));
}
