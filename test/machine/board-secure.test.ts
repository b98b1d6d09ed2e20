// -M virt,secure=on: where a bare ELF and a Linux kernel start (QEMU 7.2 hw/arm/boot.c), the
// DTB's /psci, and the Secure-only GPIO at 0x090b0000.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsm, readElf } from '../tools/harness/toolchain';
import { VirtBoard } from '../../emulator/machine/virt-board';
import { readDtb } from '../../emulator/machine/fdt';
import { SCR, SYS } from '../../emulator/cpu/system-state';

const printInc = readFileSync(join(__dirname, '../../../test/system-programs/print.inc'), 'utf8');

function board(smp = 1, virtualization = false): { b: VirtBoard; out: () => string } {
  const bytes: number[] = [];
  const b = new VirtBoard({ cpu: 'cortex-a53', smp, memory: 64 * 2 ** 20, uartOut: (x) => bytes.push(x), secure: true, virtualization });
  return { b, out: () => Buffer.from(bytes).toString('latin1') };
}
function loadProgram(b: VirtBoard, body: string, tag: string): void {
  const elf = buildAsm(`.text\n${printInc}\n.globl _start\n_start:\n${body}\n`, tag);
  b.loadElf(readElf(elf), elf);
}

describe('virt board, secure=on', () => {
  it('starts every CPU of a bare ELF at EL3, at the entry, SCR_EL3 = 0x30, with no PSCI and no /psci', () => {
    const { b } = board(2, true);
    loadProgram(b, 'b .', 'secure-spin');
    for (const c of b.cpus) {
      assert.equal(c.el, 3);
      assert.equal(c.pc, BigInt(b.bootPlan!.entry));
      assert.equal(c.sysLo[SYS.SCR_EL3], 0x30);
    }
    assert.equal(b.conduit, 'none');
    const tree = readDtb(b.deviceTree(undefined));
    assert.equal(tree.root.child('psci'), undefined);
    assert.match(b.warnings.join('\n'), /secram@e000000.*secflash@0.*pl011@9040000.*GIC Security Extensions/);
  });

  it('enters a Linux kernel (raw image) in Non-secure EL2 with SCR_EL3 RW | NS | HCE, PSCI on SMC', () => {
    const { b } = board(2, true);
    b.loadKernel(new Uint8Array(64), 'raw-kernel');
    const c = b.cpus[0];
    assert.equal(c.el, 2);
    assert.equal(c.sysLo[SYS.SCR_EL3], 0x30 | SCR.RW | SCR.NS | SCR.HCE);
    assert.equal(b.conduit, 'smc');
    assert.equal(b.isOn(1), false);
    assert.equal(readDtb(b.deviceTree(undefined)).root.child('psci')?.getString('method'), 'smc');
  });

  it('powers off through Secure GPIO line 0 and resets through line 1 from EL3', () => {
    for (const [line, kind] of [[0, 'poweroff'], [1, 'reset']] as const) {
      const { b, out } = board();
      loadProgram(b, `
  PUTC 'g'
  movz x1, #0x090b, lsl #16
  mov w2, #${1 << line}
  str w2, [x1, #0x400]
  str w2, [x1, #${4 << line}]
  PUTC 'x'
0: b 0b`, `secure-gpio-${line}`);
      const stop = b.run(100_000);
      assert.equal(stop?.kind, kind);
      assert.equal(out(), 'g');
    }
  });

  it('hides the Secure GPIO from Non-secure EL1 (nothing is mapped there in that PA space)', () => {
    const { b, out } = board();
    loadProgram(b, `
  movz x0, #0x0431          // RW | NS | RES1 5:4
  msr scr_el3, x0
  adr x0, 1f
  msr elr_el3, x0
  mov x0, #0x3c5
  msr spsr_el3, x0
  eret
1: PUTC 'n'
  movz x1, #0x090b, lsl #16
  ldr w2, [x1, #0xfe0]
  PUTC 'x'
0: b 0b`, 'secure-gpio-ns');
    const stop = b.run(100_000);
    assert.equal(stop?.kind, 'fault');
    assert.match(stop.kind === 'fault' ? stop.message : '', /0x90b0fe0.*Non-secure PA space.*Secure-only/);
    assert.equal(out(), 'n');
  });
});
