// The virt device tree against QEMU 7.2's own (`-machine dumpdtb=`): after dropping the nodes of
// devices hvlab does not have and QEMU's random seeds, both trees must have the same nodes, the
// same property values, and phandle links to the same nodes.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdtNode, readDtb, writeDtb, type FdtTree } from '../../emulator/machine/fdt';
import { buildVirtDtb, patchUserDtb, type VirtDtbOptions } from '../../emulator/machine/virt-dtb';
import { dtcCompile, dtcDecompile } from './dtc';

const MiB = 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), 'hvlab-dtb-'));

function qemuDtb(args: string[]): Uint8Array {
  const out = join(tmp, `q-${Math.random().toString(36).slice(2)}.dtb`);
  const r = spawnSync('qemu-system-aarch64', ['-nographic', '-monitor', 'none', '-machine', `dumpdtb=${out}`, ...args], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `qemu: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

/** Nodes QEMU writes for devices hvlab does not model (see virt-dtb.ts). */
const ABSENT = /^\/(virtio_mmio@|fw-cfg@|pl061@|gpio-keys|pcie@|flash@|platform-bus@|pmu$)|^\/intc@8000000\/its@/;
const PHANDLE_PROPS = new Set(['interrupt-parent', 'cpu']);

/** path -> prop -> printable value, with phandle numbers replaced by the paths they point to. */
function canon(t: FdtTree, dropSeeds: boolean): Map<string, Map<string, string>> {
  const byPh = new Map<number, string>();
  const walk = (n: FdtNode, path: string, f: (n: FdtNode, p: string) => void): void => {
    if (ABSENT.test(path)) return;
    f(n, path);
    for (const c of n.children) walk(c, path === '/' ? '/' + c.name : `${path}/${c.name}`, f);
  };
  walk(t.root, '/', (n, p) => { const ph = n.getU32('phandle'); if (ph !== undefined) byPh.set(ph, p); });
  const out = new Map<string, Map<string, string>>();
  walk(t.root, '/', (n, p) => {
    const props = new Map<string, string>();
    for (const [k, v] of n.props) {
      if (k === 'phandle') continue;
      if (dropSeeds && p === '/chosen' && (k === 'rng-seed' || k === 'kaslr-seed')) continue;
      if (PHANDLE_PROPS.has(k) || k === 'clocks') {
        props.set(k, (n.getU32s(k) ?? []).map((x) => `&${byPh.get(x) ?? `dangling 0x${x.toString(16)}`}`).join(' '));
      } else {
        props.set(k, Buffer.from(v).toString('hex'));
      }
    }
    out.set(p, props);
  });
  return out;
}

function assertSameTree(ours: FdtTree, qemu: FdtTree): void {
  const a = canon(ours, false), b = canon(qemu, true);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), 'node sets differ');
  for (const [path, props] of b) {
    const mine = a.get(path)!;
    assert.deepEqual(Object.fromEntries([...mine].sort()), Object.fromEntries([...props].sort()), `properties of ${path} differ`);
  }
}

describe('virt device tree vs QEMU 7.2 dumpdtb', function () {
  this.timeout(60_000);
  const base: VirtDtbOptions = { cpus: 2, ramBase: 0x40000000, ramSize: 128 * MiB, psciConduit: 'hvc', hasVirtualization: false };

  it('-M virt,gic-version=3 -cpu cortex-a53 -smp 2 -m 128M', () => {
    const q = readDtb(qemuDtb(['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-smp', '2', '-m', '128M']), 'qemu.dtb');
    const ours = buildVirtDtb(base);
    assertSameTree(readDtb(writeDtb(ours)), q);
  });

  it('phandle numbers match QEMU too (same allocation order)', () => {
    const q = readDtb(qemuDtb(['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-smp', '2', '-m', '128M']));
    const ours = buildVirtDtb(base);
    for (const p of ['apb-pclk', 'cpus/cpu@0', 'cpus/cpu@1', 'intc@8000000']) {
      assert.equal(ours.root.find(p)?.getU32('phandle'), q.root.find(p)?.getU32('phandle'), p);
    }
    assert.equal(ours.root.getU32('interrupt-parent'), q.root.getU32('interrupt-parent'));
  });

  it('virtualization=on, -smp 1, -m 512M, with -initrd and -append', () => {
    const kernel = join(tmp, 'kernel.bin'), initrd = join(tmp, 'initrd.bin');
    writeFileSync(kernel, new Uint8Array(4096));
    writeFileSync(initrd, new Uint8Array(12345));
    const q = readDtb(qemuDtb(['-M', 'virt,gic-version=3,virtualization=on', '-cpu', 'cortex-a53', '-smp', '1', '-m', '512M',
      '-kernel', kernel, '-initrd', initrd, '-append', 'console=ttyAMA0 earlycon']));
    // QEMU's rule (boot.c): initrd at RAM base + min(RAM/2, 128 MiB), page aligned.
    const start = 0x40000000 + 128 * MiB;
    const ours = buildVirtDtb({ ...base, cpus: 1, ramSize: 512 * MiB, psciConduit: 'smc', hasVirtualization: true,
      bootargs: 'console=ttyAMA0 earlycon', initrd: { start, end: start + 12345 } });
    assertSameTree(readDtb(writeDtb(ours)), q);
    assert.deepEqual(ours.root.find('intc@8000000')?.getU32s('interrupts'), [1, 9, 4], 'maintenance interrupt, INTID 25');
    assert.equal(ours.root.find('psci')?.getString('method'), 'smc');
    assert.equal(ours.root.find('cpus/cpu@0')?.has('enable-method'), false, 'QEMU: no enable-method on a uniprocessor');
  });

  it('-smp 8 -m 2G', () => {
    const q = readDtb(qemuDtb(['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-smp', '8', '-m', '2G']));
    assertSameTree(readDtb(writeDtb(buildVirtDtb({ ...base, cpus: 8, ramSize: 2048 * MiB }))), q);
  });

  it('decompiles with dtc without warnings, showing the kernel-facing values', () => {
    const blob = writeDtb(buildVirtDtb({ ...base, bootargs: 'console=ttyAMA0', initrd: { start: 0x44000000, end: 0x44100000 } }));
    const { dts, stderr } = dtcDecompile(blob);
    assert.equal(stderr, '');
    assert.match(dts, /compatible = "arm,gic-v3";/);
    assert.match(dts, /reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0xf60000>;/);
    assert.match(dts, /interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b 0x04 0x01 0x0a 0x04>;/);
    assert.match(dts, /stdout-path = "\/pl011@9000000";/);
    assert.match(dts, /linux,initrd-start = <0x44000000>;/);
    assert.match(dts, /method = "hvc";/);
    assert.match(dts, /enable-method = "psci";/);
    assert.doesNotMatch(dts, /virtio|fw-cfg|pcie|its@/);
  });

  it('options: a second UART with aliases, the hyp virtual timer, PMU, seeds, and no RTC', () => {
    const t = buildVirtDtb({ ...base, uart1: { base: 0x09040000, spi: 8 }, hypVirtualTimer: true, pmu: true, rtc: null,
      kaslrSeed: 0x1122334455667788n, rngSeed: new Uint8Array(32).fill(7) });
    assert.deepEqual(t.root.find('pl011@9040000')?.getU32s('interrupts'), [0, 8, 4]);
    assert.equal(t.root.find('aliases')?.getString('serial1'), '/pl011@9040000');
    assert.equal(t.root.find('aliases')?.getString('serial0'), '/pl011@9000000');
    assert.equal(t.root.find('chosen')?.getString('stdout-path'), '/pl011@9000000');
    assert.deepEqual(t.root.find('timer')?.getU32s('interrupts')?.slice(-3), [1, 12, 4]);
    assert.deepEqual(t.root.find('pmu')?.getU32s('interrupts'), [1, 7, 4]);
    assert.equal(t.root.find('pl031@9010000'), undefined);
    assert.deepEqual(t.root.find('chosen')?.getCells('kaslr-seed', [2]), [0x1122334455667788n]);
    assert.equal(t.root.find('chosen')?.getBytes('rng-seed')?.length, 32);
    assert.equal(dtcDecompile(writeDtb(t)).stderr, '');
  });

  it("psciConduit 'none' leaves out /psci and the enable-methods; MPIDRs with Aff3 use two address cells", () => {
    const t = buildVirtDtb({ ...base, psciConduit: 'none', mpidr: (i) => (1n << 32n) | BigInt(i) });
    assert.equal(t.root.find('psci'), undefined);
    assert.equal(t.root.find('cpus')?.getU32('#address-cells'), 2);
    assert.ok(t.root.find('cpus/cpu@100000001'));
    assert.deepEqual(t.root.find('cpus/cpu@100000001')?.getCells('reg', [2]), [0x100000001n]);
    assert.equal(t.root.find('cpus/cpu@0'), undefined);
    assert.equal(t.root.find('cpus/cpu@100000000')?.has('enable-method'), false);
  });

  it('patches a user -dtb like arm_load_dtb: memory node replaced, bootargs and initrd set', () => {
    const user = readDtb(dtcCompile('/dts-v1/; / { #address-cells = <2>; #size-cells = <1>; memory@0 { device_type = "memory"; reg = <0 0 0x1000>; }; chosen { bootargs = "old"; }; };'));
    patchUserDtb(user, { ramBase: 0x40000000, ramSize: 256 * MiB, bootargs: 'new', initrd: { start: 0x48000000, end: 0x48001000 } });
    assert.equal(user.root.find('memory@0'), undefined);
    assert.deepEqual(user.root.find('memory@40000000')?.getCells('reg', [2, 1]), [0x40000000n, 0x10000000n]);
    assert.equal(user.root.find('chosen')?.getString('bootargs'), 'new');
    assert.equal(user.root.find('chosen')?.getU32('linux,initrd-end'), 0x48001000);
    const bad = readDtb(dtcCompile('/dts-v1/; / { #address-cells = <2>; #size-cells = <1>; };'));
    assert.throws(() => patchUserDtb(bad, { ramBase: 0x40000000, ramSize: 2 ** 32 }), /not compatible with RAM size > 4GB/);
    const none = readDtb(dtcCompile('/dts-v1/; / { };'));
    assert.throws(() => patchUserDtb(none, { ramBase: 0, ramSize: 1 }), /#address-cells or #size-cells 0/);
  });
});
