// Replays test/mmu/qemu/at-walk.c through hvlab's walker and compares PAR_EL1 with the values
// QEMU 7.2 (-M virt -cpu cortex-a53: PAMax 40, no EL2/EL3) printed for the same tables, recorded
// in test/mmu/qemu/at-walk.expected.txt. To re-record:
//   R=examples/bare/runtime; aarch64-linux-gnu-gcc -O2 -ffreestanding -nostdlib -nostartfiles -static \
//     -fno-pie -no-pie -mstrict-align -march=armv8-a -mno-outline-atomics -fno-stack-protector -I$R \
//     -T $R/link.ld $R/crt0.S $R/uart.c $R/string.c test/mmu/qemu/at-walk.c -o /tmp/at-walk.elf -lgcc
//   qemu-system-aarch64 -M virt -cpu cortex-a53 -nographic -kernel /tmp/at-walk.elf > test/mmu/qemu/at-walk.expected.txt
// One known difference: QEMU 7.2 reports PAR_EL1.SH as programmed for Device and Normal
// Non-cacheable memory; the Arm ARM (PAREncodeShareability) and later QEMU report 0b10 there.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACC_READ, ACC_WRITE, CTX_E10_0, CTX_E10_1, Mmu, isDeviceAttr, parEl1 } from '../../emulator/mmu';
import { RAM_BASE, newMem, write64, zeroRegs } from './table-builder';

const EXPECTED = join(__dirname, '../../../test/mmu/qemu/at-walk.expected.txt');

describe('mmu cross-check against QEMU (AT + PAR_EL1 on cortex-a53)', () => {
  const mem = newMem();
  const regs = zeroRegs();
  const mmu = new Mmu(mem, regs, { paBits: 40, haveEl2: false, haveEl3: false, vhe: false });
  // The same descriptors as at-walk.c, at tables of our own.
  const t4 = [0, 1, 2, 3].map((i) => RAM_BASE + 0x100000 + i * 0x1000);
  const t64 = [0, 1].map((i) => RAM_BASE + 0x200000 + i * 0x10000);
  const AF = 1n << 10n, NG = 1n << 11n, CONTIG = 1n << 52n, UXN = 1n << 54n;
  const ATTR = (i: number): bigint => BigInt(i) << 2n, SH = (s: number): bigint => BigInt(s) << 8n, AP = (a: number): bigint => BigInt(a) << 6n;
  const e = (table: number, i: number, v: bigint): void => write64(mem, table + i * 8, v);
  e(t4[0], 1, BigInt(t4[1]) | 3n);
  e(t4[1], 0, BigInt(t4[2]) | 3n);
  e(t4[2], 0, 0x40100000n | 3n | ATTR(1) | SH(3) | AF | AP(0));
  e(t4[2], 1, 0x40101000n | 3n | ATTR(4) | SH(2) | AF | AP(3) | NG);
  e(t4[2], 2, 0x40102000n | 3n | ATTR(1) | SH(3) | AP(1));
  e(t4[2], 3, 0x10000000000n | 3n | ATTR(1) | AF);
  e(t4[2], 4, 0x40104000n | 3n | ATTR(1) | SH(3) | AF | AP(1) | UXN);
  e(t4[2], 5, 0x40105000n | 3n | ATTR(1) | SH(1) | AF | CONTIG);
  e(t4[2], 6, 0x40106000n | 1n | AF);
  e(t4[1], 1, 0x40200000n | 1n | ATTR(0) | SH(0) | AF);
  e(t4[0], 2, 0x80000000n | 1n | ATTR(2) | SH(3) | AF | AP(1));
  e(t4[0], 3, BigInt(t4[3]) | 3n | (1n << 61n));
  e(t4[3], 0, 0x40000000n | 1n | ATTR(3) | SH(3) | AF | AP(1));
  e(t4[3], 1, 0x40200000n | 1n | ATTR(1) | SH(3) | AF | AP(2));
  e(t64[0], 0, BigInt(t64[1]) | 3n);
  e(t64[1], 0, 0x41000000n | 3n | ATTR(1) | SH(3) | AF);
  e(t64[1], 1, 0x41010000n | 3n | ATTR(1) | SH(3) | AF | AP(2));
  e(t64[1], 2, 0x41020000n | 3n | ATTR(1) | SH(3) | AF | AP(1) | NG);
  e(t64[0], 1, 0x60000000n | 1n | ATTR(3) | SH(3) | AF | AP(3));
  e(t64[0], 8191, 0x40000000n | 1n | ATTR(1) | SH(2) | AF);
  regs.mairEl1 = 0x00n | (0xffn << 8n) | (0x44n << 16n) | (0x04n << 24n) | (0xbbn << 32n);
  const tcr0 = 25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (2n << 32n);
  const tcr = { '4k': tcr0 | (25n << 16n) | (2n << 30n), '64k': tcr0 | (22n << 16n) | (3n << 30n) };
  regs.sctlrEl1 = 1n | (1n << 2n) | (1n << 12n);

  const lines = readFileSync(EXPECTED, 'utf8').split('\n').filter((l) => /^(4k|64k) /.test(l));
  it('has the recorded QEMU results', () => assert.equal(lines.length, 22));
  for (const line of lines) {
    const [tree, vaHex, ...pars] = line.trim().split(/\s+/);
    it(`${tree} ${vaHex}: AT S1E1R, S1E1W, S1E0R, S1E0W`, () => {
      regs.tcrEl1 = tcr[tree as '4k' | '64k'];
      regs.ttbr1El1 = BigInt(tree === '4k' ? t4[0] : t64[0]);
      const va = BigInt(`0x${vaHex}`);
      const ops: [number, typeof ACC_READ | typeof ACC_WRITE][] = [[CTX_E10_1, ACC_READ], [CTX_E10_1, ACC_WRITE], [CTX_E10_0, ACC_READ], [CTX_E10_0, ACC_WRITE]];
      ops.forEach(([ctx, acc], i) => {
        const ours = parEl1(mmu.translateVa(va, ctx, acc, { stage1Only: true }));
        let qemu = BigInt(`0x${pars[i]}`);
        const attr = Number(qemu >> 56n);
        if ((qemu & 1n) === 0n && (isDeviceAttr(attr) || attr === 0x44)) qemu = (qemu & ~(3n << 7n)) | (2n << 7n); // see header
        assert.equal(`0x${ours.toString(16)}`, `0x${qemu.toString(16)}`, `op ${i}`);
      });
    });
  }
});
