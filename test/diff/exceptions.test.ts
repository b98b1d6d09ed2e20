// The exception model against QEMU: bare-metal programs (test/system-programs) that take
// exceptions at EL0-EL3 print their syndromes, translation results and virtual interrupts; both
// emulators must print the same. QEMU runs with gic-version=3 (its virt default is GICv2; hvlab's
// only GIC is v3, and el2-guest.S uses the GICv3 virtual CPU interface).
import { strict as assert } from 'node:assert';
import { buildAsm } from '../tools/harness/toolchain';
import { firstDifference, systemProgram } from '../tools/harness/output-diff';
import { runHvlab, runQemu } from '../tools/harness/runners';
import type { CpuModel } from '../../emulator/machine/virt-board';

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
  // An EL2 program running a guest under its own stage 2, with virtual interrupts through the LRs.
  { name: 'el2-guest.S', virtualization: true },
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
      const elf = buildAsm(systemProgram(p.name), p.name.replace(/\.S$/, ''));
      const q = runQemu(elf, { cpu: p.cpu, secure: p.secure, virtualization: p.virtualization });
      assert.equal(q.error, undefined);
      assert.match(q.output, /done\n$/, `QEMU did not finish: ${q.output}`);
      const h = runHvlab(elf, { cpu: p.cpu, stopOnUndefined: false, virtualization: p.virtualization, secure: p.secure });
      assert.equal(h.error, undefined, `${h.error}\n${h.output}`);
      assert.equal(h.output, q.output, firstDifference(q.output, h.output));
    });
  }
});
