// The exception model against QEMU: bare-metal programs (test/system-programs) that take
// exceptions at EL1/EL0 and from EL2 print their syndromes; both emulators must print the same.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsm } from '../tools/harness/toolchain';
import { runHvlab, runQemu } from '../tools/harness/runners';
import type { CpuModel } from '../../emulator/machine/virt-board';

const DIR = join(__dirname, '../../../test/system-programs');

/** The program's source with its `#include "file"` lines expanded (buildAsm compiles one file). */
function source(name: string): string {
  return readFileSync(join(DIR, name), 'utf8').replace(/^#include "([^"]+)"$/gm, (_line, inc: string) => source(inc));
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n'), lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: qemu '${la[i] ?? ''}' hvlab '${lb[i] ?? ''}'`;
  }
  return 'identical';
}

interface SystemProgram {
  name: string;
  /** -M virt,virtualization=on: EL2 exists (the CPU starts there unless `secure`). */
  virtualization?: boolean;
  /** -M virt,secure=on: EL3 exists and a bare ELF starts there. */
  secure?: boolean;
  /** -cpu for both emulators (default max). */
  cpu?: CpuModel;
}

const PROGRAMS: SystemProgram[] = [
  { name: 'exc-el1.S' }, { name: 'exc-el2.S', virtualization: true }, { name: 'el2-traps.S', virtualization: true },
  { name: 'exc-el3.S', secure: true, virtualization: true, cpu: 'cortex-a53' },
  { name: 'mmu-4k.S' },
  // FEAT_TGran16: QEMU's cortex-a53 has no 16 KiB granule (it walks such a TCR as 4 KiB), `max` has one.
  { name: 'mmu-16k.S', cpu: 'max' }, { name: 'mmu-64k.S', cpu: 'cortex-a53' },
  { name: 'pan-unpriv.S' },
  { name: 'align.S', cpu: 'cortex-a53' },
];

function describeMachine(p: SystemProgram): string {
  const props = [p.secure ? 'secure=on' : '', p.virtualization ? 'virtualization=on' : ''].filter((x) => x !== '');
  const where = p.secure ? 'starts at EL3' : p.virtualization ? 'starts at EL2' : '';
  const parts = [...props, ...(p.cpu ? [`-cpu ${p.cpu}`] : []), ...(where ? [where] : [])];
  return parts.length ? ` (${parts.join(', ')})` : '';
}

describe('exception model and MMU vs QEMU', () => {
  for (const p of PROGRAMS) {
    it(`${p.name}${describeMachine(p)}: same output as QEMU`, () => {
      const elf = buildAsm(source(p.name), p.name.replace(/\.S$/, ''));
      const q = runQemu(elf, { cpu: p.cpu, secure: p.secure, virtualization: p.virtualization });
      assert.equal(q.error, undefined);
      assert.match(q.output, /done\n$/, `QEMU did not finish: ${q.output}`);
      const h = runHvlab(elf, { cpu: p.cpu, stopOnUndefined: false, virtualization: p.virtualization, secure: p.secure });
      assert.equal(h.error, undefined, `${h.error}\n${h.output}`);
      assert.equal(h.output, q.output, firstDifference(q.output, h.output));
    });
  }
});
