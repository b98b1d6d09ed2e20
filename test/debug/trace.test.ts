// hvlab's --trace output against QEMU's `-singlestep -d nochain,cpu`, and the trace differ itself.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAsm } from '../tools/harness/toolchain';
import { runTraceDiff } from '../tools/trace-diff/run';
import { diffTraces } from '../tools/trace-diff/diff';
import { parseRecord } from '../tools/trace-diff/records';

// Only branches: runs on hvlab from the start. Ends in a tight loop, so runs are bounded by --max.
const BRANCHES = `
.text
.globl _start
_start:
  b 1f
  b 2f
1: b.eq 3f
2: cbz xzr, 4f
3: bl 4f
4: tbz xzr, #3, 5f
5: cbnz xzr, 5b
  adr x1, 6f
6: b 7f
7: b .
`;

// A bit of everything the base ISA classes provide, ending with PSCI SYSTEM_OFF.
const MIXED = `
.text
.globl _start
_start:
  movz x0, #0x30, lsl #16
  msr cpacr_el1, x0
  isb
  adr x28, buf
  movz x1, #0x1234
  movk x1, #0xfedc, lsl #48
  add x2, x1, #0xfff
  subs x3, x2, x1, lsl #3
  csel x4, x1, x3, mi
  mov x5, #-1
  adds x6, x5, #1
  and x7, x1, #0xff00ff00ff00ff00
  ubfx x8, x1, #4, #12
  mul x9, x1, x2
  udiv x10, x9, x1
  str x9, [x28, #8]
  ldp x11, x12, [x28]
  stp x1, x2, [x28, #16]!
  ldr w13, [x28], #4
  ldrb w14, [x28, #3]
  mov sp, x28
  ldr x15, [sp, #8]
  fmov d0, x1
  dup v1.4s, w2
  mrs x16, nzcv
  msr nzcv, x1
  cbz x0, 1f
  tbnz x1, #63, 1f
  nop
1: movz w0, #0x0008
  movk w0, #0x8400, lsl #16
  hvc #0
0: b 0b
.data
.balign 16
buf: .quad 0x0123456789abcdef, 0xfedcba9876543210, 0, 0, 0, 0
`;

describe('instruction trace (--trace) vs QEMU -d cpu', function () {
  this.timeout(60000);
  const elf = (src: string, tag: string): string => buildAsm(src, tag);

  it('writes a trace byte-identical to QEMU\'s for a branch-only program', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvlab-trace-test-'));
    try {
      const r = await runTraceDiff({ args: ['-M', 'virt', '-cpu', 'max', '-kernel', elf(BRANCHES, 'trace-branches')], max: 40, workDir: dir, keep: true });
      assert.ok(r.identical, r.report);
      assert.equal(r.compared, 40);
      const h = readFileSync(r.hvlabLog, 'latin1'), q = readFileSync(r.qemuLog, 'latin1');
      assert.equal(h, q.slice(0, h.length), 'hvlab trace text is a prefix of QEMU\'s');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches the Cortex-A57 PSTATE line and the -d cpu,fpu layout', async () => {
    const a57 = await runTraceDiff({ args: ['-M', 'virt', '-cpu', 'cortex-a57', '-kernel', elf(BRANCHES, 'trace-branches')], max: 12 });
    assert.ok(a57.identical, a57.report);
    const fpu = await runTraceDiff({ args: ['-M', 'virt', '-cpu', 'max', '-kernel', elf(BRANCHES, 'trace-branches')], max: 12, fpu: true });
    assert.ok(fpu.identical, fpu.report);
  });

  it('reports a perturbed register at the right instruction with the right field', async () => {
    let step = 0;
    const r = await runTraceDiff({
      args: ['-M', 'virt', '-cpu', 'max', '-kernel', elf(BRANCHES, 'trace-branches')], max: 40, context: 3,
      wrapHook: (hook) => (cpu) => {
        if (step++ === 7) cpu.xlo[5] ^= 0x10; // as if instruction 6 had written X5
        hook(cpu);
      },
    });
    assert.equal(r.identical, false, r.report);
    assert.equal(r.firstDiff, 7, r.report);
    assert.deepEqual(r.fields.map((f) => f.name), ['X05'], r.report);
    assert.equal(r.fields[0].qemu, '0000000000000000');
    assert.equal(r.fields[0].hvlab, '0000000000000010');
    assert.match(r.report, /X05\s+0000000000000000\s+0000000000000010\s+<--/);
    assert.ok(r.prevPc !== undefined && r.pc !== undefined);
    assert.match(r.report, /produced by the previous instruction: 0x[0-9a-f]+: [0-9a-f]{8} {2}\S+/);
  });

  it('reports a flag difference in PSTATE and FLAGS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvlab-trace-test-'));
    try {
      const rec = (pc: string, ps: string, fl: string): string => [
        ` PC=${pc} X00=0000000000000000 X01=0000000000000000`,
        ...Array.from({ length: 9 }, (_, k) => [2, 3, 4].map((j) => `X${String(3 * k + j).padStart(2, '0')}=0000000000000000`).join(' ')),
        'X29=0000000000000000 X30=0000000000000000  SP=0000000000000000',
        `PSTATE=${ps} ${fl} EL1h  SVCR=00000000 --  BTYPE=0`, ''].join('\n');
      const a = rec('0000000040200000', '400003c5', '-Z--') + rec('0000000040200004', '400003c5', '-Z--');
      const b = rec('0000000040200000', '400003c5', '-Z--') + rec('0000000040200004', '600003c5', '-ZC-');
      writeFileSync(join(dir, 'a'), a);
      writeFileSync(join(dir, 'b'), b);
      assert.equal(parseRecord(rec('0000000040200000', '400003c5', '-Z--')).length, 1 + 31 + 1 + 3 + 2);
      const r = diffTraces(join(dir, 'a'), join(dir, 'b'));
      assert.equal(r.firstDiff, 1);
      assert.deepEqual(r.fields.map((f) => f.name), ['PSTATE', 'FLAGS']);
      assert.equal(diffTraces(join(dir, 'a'), join(dir, 'a')).identical, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('traces a mixed base-ISA program identically to QEMU (needs the instruction classes)', async () => {
    const r = await runTraceDiff({ args: ['-M', 'virt', '-cpu', 'max', '-kernel', elf(MIXED, 'trace-mixed')], fpu: true, context: 3 });
    assert.ok(r.identical, r.report);
    assert.ok(r.compared > 30, `only ${r.compared} records`);
  });
});
