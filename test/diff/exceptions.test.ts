// The exception model against QEMU: bare-metal programs (test/system-programs) that take
// exceptions at EL1/EL0 and from EL2 print their syndromes; both emulators must print the same.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsm } from '../tools/harness/toolchain';
import { runHvlab, runQemu } from '../tools/harness/runners';

const DIR = join(__dirname, '../../../test/system-programs');

/** The program's source with `#include "print.inc"` expanded (buildAsm compiles one file). */
function source(name: string): string {
  return readFileSync(join(DIR, name), 'utf8').replace('#include "print.inc"', readFileSync(join(DIR, 'print.inc'), 'utf8'));
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n'), lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: qemu '${la[i] ?? ''}' hvlab '${lb[i] ?? ''}'`;
  }
  return 'identical';
}

describe('exception model and MMU vs QEMU', () => {
  // [program, starts at EL2 (virtualization=on)]. QEMU's virt defaults to GICv2; el2-guest.S uses
  // the GICv3 virtual CPU interface, so every EL2 program runs with gic-version=3 (hvlab's only GIC).
  const programs: [string, boolean][] = [['exc-el1.S', false], ['exc-el2.S', true], ['el2-traps.S', true], ['el2-guest.S', true], ['mmu-4k.S', false], ['pan-unpriv.S', false]];
  for (const [name, virtualization] of programs) {
    it(`${name}${virtualization ? ' (virtualization=on, starts at EL2)' : ''}: same output as QEMU`, () => {
      const elf = buildAsm(source(name), name.replace(/\.S$/, ''));
      const q = runQemu(elf, { extraArgs: virtualization ? ['-M', 'virtualization=on,gic-version=3'] : [] });
      assert.equal(q.error, undefined);
      assert.match(q.output, /done\n$/, `QEMU did not finish: ${q.output}`);
      const h = runHvlab(elf, { stopOnUndefined: false, virtualization });
      assert.equal(h.error, undefined, `${h.error}\n${h.output}`);
      assert.equal(h.output, q.output, firstDifference(q.output, h.output));
    });
  }
});
