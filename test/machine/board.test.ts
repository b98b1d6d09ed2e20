// The virt board's own behaviour: SMP bring-up through PSCI, the round-robin schedule and its
// determinism, virtual time (WFI skipping to the next timer event, the idle stop), the device
// tree in RAM, and the wiring of devices to the GIC.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsm, readElf } from '../tools/harness/toolchain';
import { VirtBoard, type BoardOptions } from '../../emulator/machine/virt-board';
import { FdtNode, readDtb, writeDtb } from '../../emulator/machine/fdt';
import { VIRT } from '../../emulator/machine/memory-map';
import { SYSREG_BY_KEY, sysregKey } from '../../emulator/arch/a64/system/sysreg-table';

/** The DTB the board placed at `pa` (its header is big-endian). */
function dtbAt(board: VirtBoard, pa: number): Uint8Array {
  const be32 = (a: number): number => ((board.mem.read8(a) << 24) | (board.mem.read8(a + 1) << 16) | (board.mem.read8(a + 2) << 8) | board.mem.read8(a + 3)) >>> 0;
  assert.equal(be32(pa), 0xd00dfeed, 'FDT magic');
  return Uint8Array.from({ length: be32(pa + 4) }, (_, i) => board.mem.read8(pa + i));
}

const PROGRAMS = join(__dirname, '../../../test/system-programs');
const printInc = (): string => readFileSync(join(PROGRAMS, 'print.inc'), 'utf8');

/** An EL1 bare-metal program: `body` after _start, with print.inc helpers and a data section. */
function program(body: string, data = ''): string {
  return `.text\n${printInc()}\n.globl _start\n_start:\n${body}\n.data\n.balign 16\n${data}\n`;
}

function boot(src: string, tag: string, opts: Partial<BoardOptions> = {}): { board: VirtBoard; out: () => string } {
  const bytes: number[] = [];
  const board = new VirtBoard({ cpu: 'cortex-a53', smp: 1, memory: 64 * 2 ** 20, uartOut: (b) => bytes.push(b), ...opts });
  const elf = buildAsm(src, tag);
  board.loadElf(readElf(elf), elf);
  return { board, out: () => Buffer.from(bytes).toString('latin1') };
}

// CPU 0 starts CPUs 1..n-1 (context id = 0x100 + n); each prints "cpu<n> ctx=<x0> el=<EL>" and
// bumps a shared counter with LDADD; CPU 0 waits for the count, prints it and powers off.
const SMP_BRINGUP = program(`
  mov x19, #1
1: movz x0, #0x0003
  movk x0, #0xc400, lsl #16    // CPU_ON64
  mov x1, x19
  adr x2, secondary
  add x3, x19, #0x100
  hvc #0
  cbnz x0, fail
  add x19, x19, #1
  mrs x20, s3_0_c0_c0_5         // MPIDR (unused; keeps CPU 0 busy a little)
  ldr x21, =NCPUS
  cmp x19, x21
  b.lo 1b
  adr x1, count
2: ldr w2, [x1]
  add w2, w2, #1
  cmp x2, x21
  b.ne 2b
  PUTS s_all
  POWEROFF hvc
fail:
  PUTS s_fail
  POWEROFF hvc
secondary:
  mov x19, x0
  mrs x20, mpidr_el1
  and x20, x20, #0xff
  // Serialise printing: wait until count == my index - 1.
  adr x1, count
3: ldr w2, [x1]
  add w2, w2, #1
  cmp x2, x20
  b.ne 3b
  PUTC 'c'
  mov x0, x20
  bl puthex
  PUTC ' '
  mov x0, x19
  bl puthex
  PUTC ' '
  mrs x0, CurrentEL
  bl puthex
  PUTC 10
  adr x1, count
  mov w2, #1
  ldadd w2, w2, [x1]
4: wfi
  b 4b
.equ NCPUS, 4
`, `count: .word 0\ns_all: .asciz "all up\\n"\ns_fail: .asciz "CPU_ON failed\\n"\n`);

describe('virt board: SMP, PSCI and scheduling', function () {
  this.timeout(30_000);

  it('starts only CPU 0; PSCI CPU_ON brings the others up at the boot EL with x0 = context id', () => {
    const { board, out } = boot(SMP_BRINGUP, 'board-smp', { smp: 4 });
    assert.deepEqual([0, 1, 2, 3].map((i) => board.isOn(i)), [true, false, false, false]);
    const stop = board.run(5_000_000);
    assert.deepEqual(stop, { kind: 'poweroff' });
    assert.equal(out(), [
      'c0000000000000001 0000000000000101 0000000000000004',
      'c0000000000000002 0000000000000102 0000000000000004',
      'c0000000000000003 0000000000000103 0000000000000004',
      'all up', ''].join('\n'));
    assert.deepEqual([0, 1, 2, 3].map((i) => board.isOn(i)), [true, true, true, true]);
    assert.ok(board.cpus.slice(1).every((c) => c.waitingForInterrupt), 'the secondaries sleep in WFI');
  });

  it('with virtualization=on, CPU_ON over SMC starts the secondaries at EL2', () => {
    const src = SMP_BRINGUP.replace(/hvc #0/g, 'smc #0').replace(/POWEROFF hvc/g, 'POWEROFF smc').replace('.equ NCPUS, 4', '.equ NCPUS, 2');
    const { board, out } = boot(src, 'board-smp-el2', { smp: 2, virtualization: true });
    const stop = board.run(5_000_000);
    assert.deepEqual(stop, { kind: 'poweroff' }, out());
    assert.equal(out().split('\n')[0], 'c0000000000000001 0000000000000101 0000000000000008');
  });

  it('is deterministic: the same run twice gives the same instruction counts, PCs and output', () => {
    const runs = [0, 1].map(() => {
      const { board, out } = boot(SMP_BRINGUP, 'board-smp', { smp: 4 });
      board.run(5_000_000);
      return { out: out(), retired: board.cpus.map((c) => c.retired), pcs: board.cpus.map((c) => c.pc), time: board.nowNs() };
    });
    assert.deepEqual(runs[0], runs[1]);
  });

  it('continues a run exactly: run(a) then run(b) equals run(a + b), even mid-round', () => {
    const whole = boot(SMP_BRINGUP, 'board-smp', { smp: 4, quantum: 1000 });
    // (the whole bring-up takes ~2300 instructions: stop before it ends)
    assert.equal(whole.board.run(1777), undefined);
    const split = boot(SMP_BRINGUP, 'board-smp', { smp: 4, quantum: 1000 });
    split.board.run(1234);
    split.board.run(1777 - 1234);
    assert.deepEqual(split.board.cpus.map((c) => [c.retired, c.pc]), whole.board.cpus.map((c) => [c.retired, c.pc]));
    assert.equal(split.board.retired, 1777);
    assert.ok(split.board.isOn(3), 'the split falls after all CPUs were started');
  });

  it('spends exactly the budget over all CPUs together', () => {
    const { board } = boot(SMP_BRINGUP, 'board-smp', { smp: 4, quantum: 100 });
    assert.equal(board.run(2500), undefined);
    assert.equal(board.retired, 2500);
  });

  it('CPU_OFF takes the calling CPU out of the schedule; AFFINITY_INFO then reports it off', () => {
    const src = program(`
  movz x0, #0x0003
  movk x0, #0xc400, lsl #16
  mov x1, #1
  adr x2, secondary
  mov x3, #0
  hvc #0
  adr x1, flag
1: ldr w2, [x1]
  cbz w2, 1b
  mov x19, #200                 // let CPU 1 reach CPU_OFF
2: subs x19, x19, #1
  b.ne 2b
  movz x0, #0x0004
  movk x0, #0xc400, lsl #16     // AFFINITY_INFO64(1, 0)
  mov x1, #1
  mov x2, #0
  hvc #0
  bl puthex
  PUTC 10
  POWEROFF hvc
secondary:
  adr x1, flag
  mov w2, #1
  str w2, [x1]
  movz x0, #0x0002
  movk x0, #0x8400, lsl #16     // CPU_OFF
  hvc #0
  PUTS s_bad                    // never reached
  b .
`, 'flag: .word 0\ns_bad: .asciz "CPU_OFF returned\\n"\n');
    const { board, out } = boot(src, 'board-cpu-off', { smp: 2, quantum: 50 });
    assert.deepEqual(board.run(1_000_000), { kind: 'poweroff' });
    assert.equal(out(), '0000000000000001\n');
    assert.equal(board.isOn(1), false);
  });
});

describe('virt board: virtual time', function () {
  this.timeout(30_000);

  // Arms the virtual timer for 1,000,000 ticks (16 ms = 16,000,000 instructions of virtual time)
  // with the GIC forwarding PPI 27, sleeps in WFI, prints CNTVCT elapsed >= 1e6 (1 = yes).
  const SLEEPER = program(`
  adr x0, vectors
  msr vbar_el1, x0
  ldr x1, =0x08000000
  mov w2, #0x13
  str w2, [x1]
  ldr x1, =0x080a0000
  str wzr, [x1, #0x14]
  add x1, x1, #0x10000
  mov w2, #(1 << 27)
  str w2, [x1, #0x80]
  str w2, [x1, #0x100]
  mov x0, #1
  msr icc_sre_el1, x0
  mov x0, #0xff
  msr icc_pmr_el1, x0
  mov x0, #1
  msr icc_igrpen1_el1, x0
  isb
  mrs x19, cntvct_el0
  ldr x0, =1000000
  msr cntv_tval_el0, x0
  mov x0, #3                    // enabled, masked at the timer: the PPI stays low
  msr cntv_ctl_el0, x0
  mov x0, #1                    // now unmasked
  msr cntv_ctl_el0, x0
  isb
1: wfi                          // IRQs stay masked (PSTATE.I): WFI still wakes on the pending PPI
  mrs x0, cntv_ctl_el0
  tbz x0, #2, 1b
  mrs x0, cntvct_el0
  sub x0, x0, x19
  ldr x1, =1000000
  cmp x0, x1
  cset x0, hs
  bl puthex
  PUTC 10
  PUTC 'z'
  PUTC 10
  wfi                           // nothing armed any more (IMASK below): the board must stop
  POWEROFF hvc
.balign 2048
vectors: b .
`);

  it('skips virtual time to the next timer event when every CPU waits in WFI', () => {
    const { board, out } = boot(SLEEPER.replace("PUTC 'z'\n  PUTC 10\n  wfi", 'POWEROFF hvc\n  wfi'), 'board-sleep');
    assert.deepEqual(board.run(50_000_000), { kind: 'poweroff' });
    assert.equal(out(), '0000000000000001\n');
    assert.ok(board.retired < 10_000, `${board.retired} instructions: WFI must sleep, not spin`);
    assert.ok(board.nowNs() >= 16_000_000, `virtual time ${board.nowNs()} ns covers the 1e6 ticks`);
  });

  it('PSCI CPU_SUSPEND (standby) sleeps like WFI until the timer fires', () => {
    const src = SLEEPER.replace("PUTC 'z'\n  PUTC 10\n  wfi", 'POWEROFF hvc\n  wfi')
      .replace('1: wfi', '1: movz x0, #1\n  movk x0, #0xc400, lsl #16\n  mov x1, #0\n  hvc #0');
    const { board, out } = boot(src, 'board-suspend');
    assert.deepEqual(board.run(50_000_000), { kind: 'poweroff' });
    assert.equal(out(), '0000000000000001\n');
    assert.ok(board.retired < 10_000, `${board.retired} instructions: CPU_SUSPEND must sleep, not spin`);
  });

  it('stops with a clear reason when all CPUs wait and no timer will ever fire', () => {
    const src = SLEEPER.replace("PUTC 'z'\n  PUTC 10\n  wfi", "PUTC 'z'\n  PUTC 10\n  mov x0, #2\n  msr cntv_ctl_el0, x0\n  isb\n  wfi");
    const { board, out } = boot(src, 'board-idle');
    const stop = board.run(50_000_000);
    assert.equal(out(), '0000000000000001\nz\n');
    assert.equal(stop?.kind, 'fault');
    assert.match(stop?.kind === 'fault' ? stop.message : '', /all CPUs wait for interrupts \(WFI\) or events \(WFE\) with no timer armed/);
  });

  it('1 instruction = 1 ns: CNTVCT counts 62.5 MHz ticks of retired instructions', () => {
    const src = program(`
  mrs x19, cntvct_el0
  ldr x0, =160000
1: subs x0, x0, #1
  b.ne 1b
  mrs x20, cntvct_el0
  sub x0, x20, x19
  bl puthex
  PUTC 10
  POWEROFF hvc
`);
    const { board, out } = boot(src, 'board-count', { quantum: 777 });
    board.run(1_000_000);
    // 2 * 160000 loop instructions + the ldr and the second mrs = 320002 ns between the reads.
    const ticks = Number(BigInt('0x' + out().trim()));
    assert.ok(Math.abs(ticks - 320002 / 16) <= 1, `${ticks} ticks`);
  });
});

describe('virt board: loading and wiring', () => {
  it('writes the generated DTB at the RAM base for an ELF, as QEMU does', () => {
    const { board } = boot(program('POWEROFF hvc'), 'board-dtb', { smp: 2, append: 'console=ttyAMA0' });
    assert.equal(board.dtbAddress, VIRT.RAM);
    const tree = readDtb(dtbAt(board, VIRT.RAM));
    const names = tree.root.children.map((c) => c.name);
    for (const n of ['psci', 'memory@40000000', 'intc@8000000', 'pl011@9000000', 'pl031@9010000', 'timer', 'cpus', 'chosen']) assert.ok(names.includes(n), n);
    assert.equal(tree.root.children.find((c) => c.name === 'cpus')!.children.filter((c) => c.name.startsWith('cpu@')).length, 2);
  });

  it('boots a raw kernel like QEMU: boot stub at the RAM base, x0 = DTB, entry at RAM + 0x80000', () => {
    const bytes: number[] = [];
    const board = new VirtBoard({ cpu: 'cortex-a53', smp: 1, memory: 64 * 2 ** 20, uartOut: (b) => bytes.push(b), append: 'hello' });
    const raw = new Uint8Array(8);
    new DataView(raw.buffer).setUint32(0, 0xd503201f, true); // nop
    new DataView(raw.buffer).setUint32(4, 0x14000000, true); // b .
    const plan = board.loadKernel(raw, 'raw.bin');
    assert.equal(plan.format, 'raw');
    assert.equal(board.cpus[0].pc, BigInt(VIRT.RAM + 0x80000));
    assert.equal(board.cpus[0].getX(0), BigInt(plan.dtbAddress!));
    const tree = readDtb(dtbAt(board, plan.dtbAddress!));
    assert.equal(tree.root.children.find((c) => c.name === 'chosen')!.getString('bootargs'), 'hello');
  });

  it('-dtb: loads the user tree patched as QEMU does (memory node, bootargs)', () => {
    const board = new VirtBoard({ cpu: 'cortex-a53', smp: 1, memory: 32 * 2 ** 20, uartOut: () => undefined, append: 'quiet' });
    const user = new FdtNode('');
    user.setU32('#address-cells', 2).setU32('#size-cells', 2).addNode('my-device').setString('compatible', 'acme,widget');
    user.addNode('memory@80000000').setCells('reg', [[2, 0x80000000], [2, 0x1000]]).setString('device_type', 'memory');
    const raw = new Uint8Array([0x1f, 0x20, 0x03, 0xd5, 0x00, 0x00, 0x00, 0x14]);
    const plan = board.loadKernel(raw, 'raw.bin', { dtb: writeDtb({ root: user, reservations: [] }), dtbName: 'user.dtb' });
    const tree = readDtb(dtbAt(board, plan.dtbAddress!));
    const names = tree.root.children.map((c) => c.name);
    assert.ok(names.includes('my-device'));
    assert.ok(!names.includes('memory@80000000') && names.includes('memory@40000000'));
    assert.deepEqual(tree.root.child('memory@40000000')!.getCells('reg', [2, 2]), [0x40000000n, 32n * 2n ** 20n]);
    assert.equal(tree.root.child('chosen')!.getString('bootargs'), 'quiet');
  });

  it('connects the PL011 interrupt to SPI 1 (INTID 33)', () => {
    const board = new VirtBoard({ cpu: 'cortex-a53', smp: 1, memory: 16 * 2 ** 20, uartOut: () => undefined });
    const spi = (): boolean => board.gic.level[33] !== 0;
    assert.equal(spi(), false);
    board.mem.write32(VIRT.UART0 + 0x38, 1 << 5); // IMSC.TXIM: TX interrupt (RIS.TX is set at reset)
    assert.equal(spi(), true);
    board.mem.write32(VIRT.UART0 + 0x44, 1 << 5); // ICR
    assert.equal(spi(), false);
  });

  it('registers the GIC and timer system registers in the MRS/MSR table', () => {
    const name = (op1: number, crn: number, crm: number, op2: number): string | undefined => SYSREG_BY_KEY[sysregKey(3, op1, crn, crm, op2)]?.name;
    assert.equal(name(0, 12, 12, 0), 'ICC_IAR1_EL1');
    assert.equal(name(4, 12, 11, 0), 'ICH_HCR_EL2');
    assert.equal(name(3, 14, 3, 0), 'CNTV_TVAL_EL0');
    assert.equal(name(4, 14, 1, 0), 'CNTHCTL_EL2');
  });

  it('refuses more than 8 CPUs', () => {
    assert.throws(() => new VirtBoard({ cpu: 'cortex-a53', smp: 9, memory: 16 * 2 ** 20, uartOut: () => undefined }), /1 to 8 CPUs/);
  });
});
