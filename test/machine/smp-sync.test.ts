// SMP synchronization on the virt board (Arm ARM B2.9 global monitor, D1.16 WFE/SEV, D11.2.3
// event streams): a store by CPU 1 between CPU 0's LDXR and STXR makes the STXR fail, CPU 0 sleeps
// in WFE until CPU 1's SEV, and the timer event stream wakes WFE at its period. The schedule is
// the board's deterministic round-robin, so the outcome is the same every run.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsm, readElf } from '../tools/harness/toolchain';
import { VirtBoard } from '../../emulator/machine/virt-board';

const printInc = (): string => readFileSync(join(__dirname, '../../../test/system-programs/print.inc'), 'utf8');

function boot(body: string, data: string, tag: string, smp: number): { board: VirtBoard; out: () => string } {
  const bytes: number[] = [];
  const board = new VirtBoard({ cpu: 'cortex-a53', smp, memory: 64 * 2 ** 20, uartOut: (b) => bytes.push(b) });
  const elf = buildAsm(`.text\n${printInc()}\n.globl _start\n_start:\n${body}\n.data\n.balign 64\n${data}\n`, tag);
  board.loadElf(readElf(elf), elf);
  return { board, out: () => Buffer.from(bytes).toString('latin1') };
}

describe('virt board: global exclusive monitor, WFE/SEV, event stream', function () {
  this.timeout(30_000);

  it('CPU 1\'s store to the granule between CPU 0\'s LDXR and STXR makes the STXR fail; CPU 0 sleeps in WFE until SEV', () => {
    const { board, out } = boot(`
  adr x19, lock
  ldxr w1, [x19]                // CPU 0 reserves the granule of lock
  movz x0, #0x0003
  movk x0, #0xc400, lsl #16     // PSCI CPU_ON64 (CPU 1)
  mov x1, #1
  adr x2, secondary
  mov x3, #0
  hvc #0
  adr x20, flag
1: wfe                          // sleeps until CPU 1's SEV
  ldr w2, [x20]
  cbz w2, 1b
  mov w4, #7
  stxr w3, w4, [x19]            // fails: CPU 1 wrote lock + 4 (same 64-byte granule)
  PUTHEX x3
  PUTC 10
  ldxr w1, [x19]
  stxr w3, w4, [x19]            // nothing in between: succeeds
  PUTHEX x3
  PUTC 10
  ldr w0, [x19]
  bl puthex
  PUTC 10
  POWEROFF hvc
secondary:
  adr x19, lock
  mov w5, #5
  str w5, [x19, #4]
  adr x20, flag
  mov w2, #1
  str w2, [x20]
  sev
2: wfi
  b 2b
`, 'lock: .word 0\n.word 0\n.balign 64\nflag: .word 0\n', 'board-excl', 2);
    assert.deepEqual(board.run(5_000_000), { kind: 'poweroff' });
    assert.equal(out(), '0000000000000001\n0000000000000000\n0000000000000007\n');
    assert.ok(board.cpus[0].retired < 1000, `CPU 0 retired ${board.cpus[0].retired}: WFE must sleep, not spin`);
  });

  it('the timer event stream (CNTKCTL_EL1.EVNTEN, EVNTI = 9: every 1024 ticks) wakes WFE with interrupts masked', () => {
    const { board, out } = boot(`
  mov x0, #(1 << 2) | (9 << 4)  // EVNTEN, EVNTDIR = 0, EVNTI = 9
  msr cntkctl_el1, x0
  isb
  mrs x19, cntvct_el0
  mov x21, #10
1: wfe
  subs x21, x21, #1
  b.ne 1b
  mrs x20, cntvct_el0
  sub x0, x20, x19
  lsr x0, x0, #10               // whole periods elapsed
  bl puthex
  PUTC 10
  POWEROFF hvc
`, '', 'board-evtstream', 1);
    assert.deepEqual(board.run(50_000_000), { kind: 'poweroff' });
    const periods = parseInt(out(), 16);
    assert.ok(periods === 9 || periods === 10, `10 WFEs took ${periods} event periods`);
    assert.ok(board.retired < 1000, `${board.retired} instructions: WFE sleeps between events`);
  });

  it('with every CPU in WFE and nothing to wake them, stops with a clear reason', () => {
    const { board } = boot('1: wfe\n  b 1b\n', '', 'board-wfe-idle', 1);
    const stop = board.run(5_000_000);
    assert.equal(stop?.kind, 'fault');
    assert.match(stop?.kind === 'fault' ? stop.message : '', /wait for interrupts \(WFI\) or events \(WFE\)/);
  });
});
