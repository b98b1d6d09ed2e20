// UART0 receive on the board, interrupt-driven: input bytes arrive one per character time, the
// PL011 raises RXRIS at the FIFO trigger level and RTRIS after the receive timeout, the GIC
// delivers SPI 1 (INTID 33) and wakes the CPU from WFI. The same input gives the same run.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsm, readElf } from '../tools/harness/toolchain';
import { VirtBoard } from '../../emulator/machine/virt-board';
import { BytesSource } from '../../emulator/machine/serial-input';

const printInc = (): string => readFileSync(join(__dirname, '../../../test/system-programs/print.inc'), 'utf8');

// Sets up the GIC for INTID 33 and the PL011 for FIFO mode, trigger 1/8 (4 characters), RX and RT
// interrupts; sleeps in WFI; each IRQ prints "irq <MIS> <characters read>" and the characters
// are stored; after 5 it prints them and powers off.
const RX_IRQ = `.text
${printInc()}
.equ GICD, 0x08000000
.equ GICR, 0x080a0000
.equ UART, 0x09000000
.globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x0, stack_top
  mov sp, x0
  ldr x1, =GICD
  mov w2, #0x13
  str w2, [x1]
  ldr x1, =GICR
  ldr w2, [x1, #0x14]
  bic w2, w2, #2
  str w2, [x1, #0x14]
1: ldr w2, [x1, #0x14]
  tbnz w2, #2, 1b
  mrs x0, icc_sre_el1
  orr x0, x0, #1
  msr icc_sre_el1, x0
  isb
  mov x0, #0xff
  msr icc_pmr_el1, x0
  mov x0, #1
  msr icc_igrpen1_el1, x0
  ldr x1, =GICD
  mov w2, #(1 << 1)
  str w2, [x1, #0x84]          // GICD_IGROUPR1: INTID 33 Group 1
  mov w2, #0x80
  strb w2, [x1, #0x400 + 33]
  add x3, x1, #0x6000
  str xzr, [x3, #8 * 33]       // GICD_IROUTER33 -> CPU 0
  mov w2, #(1 << 1)
  str w2, [x1, #0x104]         // GICD_ISENABLER1
  ldr x1, =UART
  mov w2, #0x70
  str w2, [x1, #0x2c]          // LCR_H: 8 bits, FIFOs
  str wzr, [x1, #0x34]         // IFLS: RX trigger 1/8
  mov w2, #(1 << 4) | (1 << 6)
  str w2, [x1, #0x38]          // IMSC: RXIM | RTIM
  mov w2, #0x301
  str w2, [x1, #0x30]          // CR: UARTEN | TXE | RXE
  mov x20, #0                  // characters received
  adr x21, buf
2: msr daifset, #2
  cmp x20, #5
  b.hs 3f
  wfi
  msr daifclr, #2
  isb
  b 2b
3: strb wzr, [x21, x20]
  mov x0, x21
  bl puts
  PUTC 10
  POWEROFF hvc

irq_handler:
  stp x0, x1, [sp, #-16]!
  stp x2, x3, [sp, #-16]!
  stp x22, x30, [sp, #-16]!
  mrs x22, icc_iar1_el1
  PUTS s_irq
  ldr x1, =UART
  ldr w0, [x1, #0x40]          // MIS
  bl puthex
  PUTC 32
  ldr x1, =UART
  mov x3, #0
4: ldr w2, [x1, #0x18]
  tbnz w2, #4, 5f              // RXFE
  ldr w2, [x1]
  strb w2, [x21, x20]
  add x20, x20, #1
  add x3, x3, #1
  b 4b
5: mov x0, x3
  bl puthex
  PUTC 10
  msr icc_eoir1_el1, x22
  ldp x22, x30, [sp], #16
  ldp x2, x3, [sp], #16
  ldp x0, x1, [sp], #16
  eret

UNEXPECTED_EXCEPTION
VECTORS irq_spx=irq_handler
.data
s_irq: .asciz "irq "
.balign 16
buf: .skip 64
stack: .skip 1024
stack_top:
`;

function run(input: string): { out: string; insns: number; ns: number } {
  const bytes: number[] = [];
  const board = new VirtBoard({ cpu: 'cortex-a53', smp: 1, memory: 64 * 2 ** 20, uartOut: (b) => bytes.push(b), serialIn: new BytesSource(Buffer.from(input, 'latin1')) });
  const elf = buildAsm(RX_IRQ, 'board-uart-rx');
  board.loadElf(readElf(elf), elf);
  assert.deepEqual(board.run(50_000_000), { kind: 'poweroff' });
  return { out: Buffer.from(bytes).toString('latin1'), insns: board.retired, ns: board.nowNs() };
}

describe('virt board: UART0 receive interrupts from host input', function () {
  this.timeout(30_000);

  it('raises RXRIS at the trigger level (4 characters) and RTRIS for the rest after the timeout; WFI wakes for both', () => {
    const r = run('hello');
    assert.equal(r.out, 'irq 0000000000000010 0000000000000004\nirq 0000000000000040 0000000000000001\nhello\n');
    assert.ok(r.insns < 5000, `${r.insns} instructions: the CPU sleeps between characters`);
    // 5 characters at one per 86.8 us, then the 277.8 us timeout.
    assert.ok(r.ns > 4 * 86_806 + 277_778, `virtual time ${r.ns} ns`);
  });

  it('is reproducible: the same input gives the same run', () => {
    assert.deepEqual(run('hello'), run('hello'));
  });
});
