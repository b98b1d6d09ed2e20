import { stopOnUndefined } from '../../emulator/debug/trap-hooks';
import { strict as assert } from 'node:assert';
import { VirtBoard } from '../../emulator/machine/virt-board';
import { tinyElf } from '../tools/tiny-elf';

function words(...ws: number[]): Uint8Array {
  const b = new Uint8Array(ws.length * 4);
  const dv = new DataView(b.buffer);
  ws.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  return b;
}

function board(code: Uint8Array): { b: VirtBoard; out: number[] } {
  const out: number[] = [];
  const b = new VirtBoard({ cpu: 'cortex-a53', smp: 1, memory: 16 * 2 ** 20, uartOut: (c) => out.push(c) });
  b.loadElf(tinyElf(code), 'test.elf');
  b.cpus[0].trapHook = stopOnUndefined;
  return { b, out };
}

describe('CPU run loop', () => {
  it('stops on an unallocated encoding, naming the word and the PC', () => {
    const { b } = board(words(0x14000001, 0x00000000)); // b .+4 ; udf #0
    const stop = b.run(100);
    assert.equal(stop?.kind, 'undefined');
    if (stop?.kind !== 'undefined') return;
    assert.equal(stop.pc, 0x40200004n);
    assert.equal(stop.insn, 0);
    assert.equal(b.cpus[0].retired, 1, 'the undefined instruction does not retire');
  });

  it('spends exactly the budget on a tight loop, deterministically', () => {
    const { b } = board(words(0x14000000)); // b .
    assert.equal(b.run(12345), undefined);
    assert.equal(b.cpus[0].retired, 12345);
    assert.equal(b.cpus[0].pc, 0x40200000n);
  });

  it('runs across a page boundary and follows straight-line code', () => {
    // 1024 words of `b .+4` then `b .` : the run must walk into the next page.
    const ws = new Array<number>(1100).fill(0x14000001);
    ws[1099] = 0x14000000;
    const { b } = board(words(...ws));
    b.run(5000);
    assert.equal(b.cpus[0].pc, 0x40200000n + 1099n * 4n);
  });

  it('powers off through PSCI SYSTEM_OFF over HVC', () => {
    // hvc #0 with w0 = 0x84000008 set by the test (no MOV instruction needed)
    const { b } = board(words(0xd4000002));
    b.cpus[0].setX(0, 0x84000008n);
    assert.deepEqual(b.run(10), { kind: 'poweroff' });
  });

  it('re-decodes an instruction the program overwrote (self-modifying code)', () => {
    const { b } = board(words(0x14000000, 0x14000000)); // b . ; b .
    b.run(3);
    assert.equal(b.cpus[0].pc, 0x40200000n);
    b.mem.write32(0x40200000, 0x14000001); // now: b .+4
    b.run(3);
    assert.equal(b.cpus[0].pc, 0x40200004n);
  });

  it('reports a fetch from outside RAM as a fault, not a crash', () => {
    const { b } = board(words(0x14000000));
    b.cpus[0].pc = 0x1000n;
    const stop = b.run(10);
    assert.equal(stop?.kind, 'fault');
    if (stop?.kind === 'fault') assert.match(stop.message, /instruction fetch from 0x0000000000001000: no RAM there/);
  });
});

describe('self-modifying code, repeatedly', () => {
  it('notices every rewrite of the same page, not only the first', () => {
    const { b } = board(words(0x14000000)); // b .
    const cpu = b.cpus[0];
    for (const [word, expectPc] of [[0x14000001, 0x40200004n], [0x14000002, 0x40200008n], [0x14000003, 0x4020000cn]] as const) {
      cpu.pc = 0x40200000n;
      b.mem.write32(0x40200000, word);
      b.mem.write32(0x40200004, 0x14000000); b.mem.write32(0x40200008, 0x14000000); b.mem.write32(0x4020000c, 0x14000000);
      b.run(5);
      assert.equal(cpu.pc, expectPc);
    }
  });
});

describe('compiled blocks', () => {
  // loop: add x0,x0,#1 ; cmp x0,#60 ; csel x6,x7,x8,eq ; ldr x3,[x6] ; add x9,x9,#1 ; b loop
  // x8 = a RAM address, x7 = an address with nothing behind it: iteration 60's load stops the run
  // in the middle of a block compiled long before (blocks compile after 32 entries).
  const LOOP = [0x91000400, 0xf100f01f, 0x9a8800e6, 0xf94000c3, 0x91000529, 0x17fffffb];

  it('stop in the middle of a hot block with exact retired count, PC and registers', () => {
    const { b } = board(words(...LOOP));
    const cpu = b.cpus[0];
    cpu.setX(7, 0x1000n);
    cpu.setX(8, 0x40300000n);
    const stop = b.run(1_000_000);
    assert.equal(stop?.kind, 'fault');
    assert.equal(cpu.pc, 0x4020000cn, 'stopped at the load');
    assert.equal(cpu.retired, 59 * 6 + 3, 'the three instructions before the load retired, not the load');
    assert.equal(cpu.getX(0), 60n);
    assert.equal(cpu.getX(9), 59n);
  });

  it('gives the same instruction-exact result when the budget splits a block', () => {
    const runs = [1_000_000, 7].map((chunk) => {
      const { b } = board(words(...LOOP));
      const cpu = b.cpus[0];
      cpu.setX(7, 0x1000n);
      cpu.setX(8, 0x40300000n);
      let stop;
      while (!(stop = b.run(chunk)));
      return { stop: stop.kind, retired: cpu.retired, pc: cpu.pc, x9: cpu.getX(9) };
    });
    assert.deepEqual(runs[1], runs[0]);
  });
});

describe('compiled blocks and virtual aliases', () => {
  it('run correctly at every virtual address that maps their physical page', async () => {
    const { SYS } = await import('../../emulator/cpu/system-state');
    const { MMU_KEYS } = await import('../../emulator/cpu/mmu-registers');
    // loop: adr x1, . ; add x0, x0, #1 ; cmp x0, #50 ; b.ne loop ; b .
    const { b } = board(words(0x10000001, 0x91000400, 0xf100c81f, 0x54ffffa1, 0x14000000));
    const cpu = b.cpus[0];
    // Stage 1: VA 0x40000000 and VA 0x80000000 both map RAM (1 GiB blocks, 4 KiB granule).
    const l1 = 0x40100000;
    b.mem.write32(l1 + 8, 0x40000705); b.mem.write32(l1 + 16, 0x40000705);
    cpu.setSys(MMU_KEYS.MAIR_EL1, 0xff00, 0);
    cpu.setSys(MMU_KEYS.TCR_EL1, 0x00803519, 2);
    cpu.setSys(MMU_KEYS.TTBR0_EL1, l1, 0);
    cpu.setSys(SYS.SCTLR[1], cpu.sysLo[SYS.SCTLR[1]] | 1, 0);
    cpu.translationChanged();
    b.run(50 * 4);                         // hot through the identity map: the loop's block compiles
    assert.equal(cpu.getX(1), 0x40200000n);
    cpu.setX(0, 0n);
    cpu.pc = 0x80200000n;                  // the same physical code through the alias
    b.run(50 * 4);
    assert.equal(cpu.getX(1), 0x80200000n, 'ADR sees the alias PC');
    assert.equal(cpu.pc, 0x80200010n, 'the loop exits at the alias, not at the identity address');
  });
});
