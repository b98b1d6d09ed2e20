// Kernel/initrd/DTB placement against QEMU 7.2: a probe kernel (an arm64 Image built here) prints
// x0..x4, the address it runs at and CurrentEL on UART0; for each case the plan must predict
// exactly what QEMU printed. Plus unit tests of the header parser's located errors.
import { tinyElf as tinyElfWith } from '../tools/tiny-elf';
import { HEX_ROUTINE } from '../tools/harness/asm-routines';
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readDtb } from '../../emulator/machine/fdt';
import {
  ImageError, bootStub, parseImageHeader, planElfBoot, planKernelBoot, planLinuxBoot, type LoadPlan,
} from '../../emulator/machine/loaders/image';
import { cachePath } from '../tools/harness/toolchain';

const MiB = 1024 * 1024;

/** A minimal ELF64 AArch64 executable: one PT_LOAD of `code` at `paddr`, entry = paddr, no bss. */
const tinyElf = (code: Uint8Array, paddr: bigint): Uint8Array => tinyElfWith(code, paddr, paddr, 0);

const RAM = 0x40000000;

const PROBE = `
	.text
	.globl _start
_start:
	b	entry
	.long	0
	.quad	TEXT_OFFSET
	.quad	IMAGE_SIZE
	.quad	FLAGS
	.quad	0, 0, 0
	.ascii	MAGIC
	.long	0
entry:
	mov x19, x0; mov x20, x1; mov x21, x2; mov x22, x3; mov x23, x4
	adr x24, _start
	mrs x25, CurrentEL
	ldr x10, =0x09000000
	mov x0, x19; bl hex
	mov x0, x20; bl hex
	mov x0, x21; bl hex
	mov x0, x22; bl hex
	mov x0, x23; bl hex
	mov x0, x24; bl hex
	mov x0, x25; bl hex
	mov w1, #'\\n'
	strb w1, [x10]
	ldr x0, =0x84000008
	hvc #0
1:	b 1b
${HEX_ROUTINE}
	.ltorg
`;

interface ProbeOpts { textOffset?: number; imageSize?: number; flags?: number; magic?: boolean; pad?: number }

/** Builds the probe as an Image (or raw binary without the magic); cached by content. */
function probeImage(p: ProbeOpts): Uint8Array {
  const defs = [`-DTEXT_OFFSET=${p.textOffset ?? 0}`, `-DIMAGE_SIZE=${p.imageSize ?? 0x10000}`, `-DFLAGS=${p.flags ?? 0xa}`,
    `-DMAGIC=${p.magic === false ? '"RAW!"' : '"ARM\\x64"'}`];
  const h = createHash('sha256').update(PROBE + defs.join(' ')).digest('hex').slice(0, 16);
  const bin = cachePath('image-probe', `probe-${h}.bin`);
  if (!existsSync(bin)) {
    const src = cachePath('image-probe', `probe-${h}.S`);
    writeFileSync(src, PROBE);
    const obj = src.replace(/\.S$/, '.o'), elf = src.replace(/\.S$/, '.elf');
    execFileSync('aarch64-linux-gnu-gcc', ['-c', ...defs, '-o', obj, src]);
    execFileSync('aarch64-linux-gnu-ld', ['-nostdlib', '-Ttext=0', '-e', '_start', '-o', elf, obj]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', elf, bin]);
  }
  const b = new Uint8Array(readFileSync(bin));
  if (!p.pad) return b;
  const padded = new Uint8Array(b.length + p.pad);
  padded.set(b);
  return padded;
}

function runQemu(kernel: Uint8Array, mem: number, initrd?: Uint8Array): bigint[] {
  const k = cachePath('image-probe', 'run-kernel.bin');
  writeFileSync(k, kernel);
  const args = ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-m', `${mem / MiB}M`, '-nographic', '-monitor', 'none',
    '-serial', 'stdio', '-no-reboot', '-kernel', k];
  if (initrd) {
    const i = cachePath('image-probe', 'run-initrd.bin');
    writeFileSync(i, initrd);
    args.push('-initrd', i);
  }
  const r = spawnSync('qemu-system-aarch64', args, { encoding: 'latin1', timeout: 20000 });
  assert.equal(r.status, 0, `qemu: ${r.stderr}`);
  const line = r.stdout.trim().split(/\s+/);
  assert.equal(line.length, 7, `probe output: ${JSON.stringify(r.stdout)}`);
  return line.map((x) => BigInt('0x' + x));
}

const fakeDtb = (): Uint8Array => new Uint8Array(0x1000).fill(0xdd);

function expectFromPlan(plan: LoadPlan): bigint[] {
  return [BigInt(plan.x0), 0n, 0n, 0n, BigInt(plan.x4 ?? 0), BigInt(plan.entry), 4n /* EL1 */];
}

describe('Linux Image placement vs QEMU 7.2', function () {
  this.timeout(120_000);
  const cases: [string, ProbeOpts, number, number?, boolean?][] = [
    ['modern Image (text_offset 0): RAM + 2 MiB, DTB at RAM + 64 MiB', {}, 128 * MiB],
    ['with an initrd: DTB 2 MiB aligned after it', {}, 128 * MiB, 10],
    ['initrd just over 2 MiB', {}, 128 * MiB, 2 * MiB + 1],
    ['512 MiB RAM: initrd at RAM + 128 MiB', {}, 512 * MiB, 4096],
    ['text_offset 0x80000 with image_size', { textOffset: 0x80000, imageSize: 0x200000 }, 128 * MiB],
    ['text_offset 0x1000 (not below the stub limit)', { textOffset: 0x1000, imageSize: 0x200000 }, 128 * MiB],
    ['image_size 0 (pre-3.17): text_offset ignored, RAM + 0x80000', { textOffset: 0x200000, imageSize: 0 }, 128 * MiB],
    ['no magic: a raw kernel at RAM + 0x80000', { magic: false }, 128 * MiB],
    ['image_size past RAM/2 pushes the initrd and DTB up', { imageSize: 100 * MiB }, 128 * MiB, 3000],
    ['a large file', { pad: 3 * MiB + 123, imageSize: 4 * MiB }, 256 * MiB, 77],
    ['gzip-compressed Image', {}, 128 * MiB, 100, true],
    ['gzip-compressed raw kernel', { magic: false }, 128 * MiB, undefined, true],
  ];
  for (const [what, probe, mem, initrdSize, gz] of cases) {
    it(what, () => {
      const image = probeImage(probe);
      const kernel = gz ? new Uint8Array(gzipSync(image)) : image;
      const initrd = initrdSize === undefined ? undefined : new Uint8Array(initrdSize).fill(0x5a);
      const q = runQemu(kernel, mem, initrd);
      const plan = planLinuxBoot({ kernel, initrd, ramBase: RAM, ramSize: mem, dtb: fakeDtb });
      assert.deepEqual(expectFromPlan(plan).map((x) => x.toString(16)), q.map((x) => x.toString(16)));
      assert.equal(plan.format, (probe.magic === false ? 'raw' : 'image') + (gz ? '-gzip' : ''));
      if (initrd) assert.equal(plan.initrdEnd! - plan.initrdStart!, initrd.length);
    });
  }

  it('ELF kernel: PC = e_entry, x0 = 0, DTB at the RAM base (checked in QEMU memory with the monitor)', () => {
    // QEMU: x0 = 0 for ELF; the DTB magic sits at 0x40000000 and nothing at 0x44000000.
    const elf = tinyElf(new Uint8Array([0x1f, 0x20, 0x03, 0xd5]), 0x40200000n);
    const plan = planElfBoot({ elf, ramBase: RAM, ramSize: 128 * MiB, dtb: fakeDtb });
    assert.equal(plan.entry, 0x40200000);
    assert.equal(plan.x0, 0);
    assert.equal(plan.dtbAddress, RAM);
    const k = cachePath('image-probe', 'tiny.elf');
    writeFileSync(k, elf);
    const r = spawnSync('qemu-system-aarch64', ['-M', 'virt,gic-version=3', '-cpu', 'cortex-a53', '-m', '128M', '-display', 'none',
      '-S', '-monitor', 'stdio', '-serial', 'none', '-kernel', k], { input: 'xp /1wx 0x40000000\nxp /1wx 0x44000000\nquit\n', encoding: 'latin1', timeout: 20000 });
    assert.match(r.stdout, /0000000040000000: 0xedfe0dd0/);
    assert.match(r.stdout, /0000000044000000: 0x00000000/);
  });
});

describe('Linux Image plan details', () => {
  const image = (): Uint8Array => {
    const b = new Uint8Array(0x100);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, 0x14000010, true);
    dv.setBigUint64(0x10, 0x10000n, true);
    dv.setBigUint64(0x18, 0xan, true);
    b.set([0x41, 0x52, 0x4d, 0x64], 0x38);
    return b;
  };

  it('parses the header fields and flags', () => {
    const h = parseImageHeader(image())!;
    assert.equal(h.textOffset, 0n);
    assert.equal(h.imageSize, 0x10000n);
    assert.equal(h.bigEndian, false);
    assert.equal(h.pageSize, 4096);
    assert.equal(h.placeAnywhere, true);
    assert.equal(parseImageHeader(new Uint8Array(0x100)), undefined, 'no magic: raw');
  });

  it('segments: QEMU boot stub at the RAM base, kernel, initrd, DTB — the DTB built with the initrd range', () => {
    let seen: { initrdStart?: number; initrdEnd?: number } | undefined;
    const initrd = new Uint8Array(5000);
    const plan = planLinuxBoot({ kernel: image(), initrd, ramBase: RAM, ramSize: 128 * MiB, dtb: (i) => { seen = i; return fakeDtb(); } });
    assert.deepEqual(seen, { initrdStart: 0x44000000, initrdEnd: 0x44000000 + 5000 });
    assert.deepEqual(plan.segments.map((s) => [s.pa.toString(16), s.bytes.length]),
      [['40000000', 40], ['40200000', 0x100], ['44000000', 5000], ['44200000', 0x1000]]);
    assert.deepEqual(plan.segments[0].bytes, bootStub(0x44200000, 0x40200000));
    assert.equal(plan.x0, 0x44200000);
    assert.equal(plan.x4, 0x40200000);
    assert.equal(plan.kernelEnd, 0x40210000);
  });

  it('no DTB callback: x0 = 0, nothing placed', () => {
    const plan = planLinuxBoot({ kernel: image(), ramBase: RAM, ramSize: 128 * MiB });
    assert.equal(plan.x0, 0);
    assert.equal(plan.dtbAddress, undefined);
  });

  it('a real DTB from the virt builder lands intact', async () => {
    const { buildVirtDtb } = await import('../../emulator/machine/virt-dtb');
    const { writeDtb } = await import('../../emulator/machine/fdt');
    const plan = planLinuxBoot({ kernel: image(), initrd: new Uint8Array(10), ramBase: RAM, ramSize: 128 * MiB,
      dtb: (i) => writeDtb(buildVirtDtb({ cpus: 1, ramBase: RAM, ramSize: 128 * MiB, psciConduit: 'hvc', hasVirtualization: false,
        initrd: { start: i.initrdStart!, end: i.initrdEnd! } })) });
    const seg = plan.segments.find((s) => s.pa === plan.dtbAddress)!;
    assert.equal(readDtb(seg.bytes).root.find('chosen')?.getU32('linux,initrd-start'), plan.initrdStart);
  });

  it('ELF dispatch ignores the initrd (as QEMU) and says so; no DTB when the ELF starts at the RAM base', () => {
    const atBase = tinyElf(new Uint8Array(4), 0x40000000n);
    const plan = planKernelBoot({ kernel: atBase, initrd: new Uint8Array(4), ramBase: RAM, ramSize: 128 * MiB, dtb: fakeDtb });
    assert.equal(plan.format, 'elf');
    assert.equal(plan.dtbAddress, undefined);
    assert.match(plan.warnings.join('\n'), /initrd: ignored for an ELF kernel/);
    const tight = tinyElf(new Uint8Array(4), 0x40000800n);
    const p2 = planElfBoot({ elf: tight, ramBase: RAM, ramSize: 128 * MiB, dtb: fakeDtb });
    assert.equal(p2.dtbAddress, undefined, '4 KiB DTB does not fit below 0x40000800');
    assert.match(p2.warnings.join('\n'), /no room for the 4096-byte DTB/);
  });

  const errors: [string, () => unknown, RegExp][] = [
    ['a big-endian kernel', () => { const b = image(); b[0x18] |= 1; return planLinuxBoot({ kernel: b, kernelName: 'Image', ramBase: RAM, ramSize: 128 * MiB }); },
      /^Image: offset 0x18: flags bit 0 says the kernel is big-endian/],
    ['image_size below the file size', () => { const b = image(); new DataView(b.buffer).setBigUint64(0x10, 0x80n, true); return parseImageHeader(b, 'Image'); },
      /^Image: offset 0x10: image_size 0x80 is smaller than the file \(0x100 bytes\)/],
    ['a truncated header', () => parseImageHeader(image().subarray(0, 0x3e), 'Image'), /^Image: offset 0x3c: arm64 Image header is truncated \(file is 62 bytes/],
    ['text_offset + image_size beyond 48 bits', () => { const b = image(); new DataView(b.buffer).setBigUint64(8, 1n << 48n, true); return parseImageHeader(b, 'Image'); },
      /^Image: offset 0x8: text_offset 0x1000000000000/],
    ['a corrupt gzip stream', () => planLinuxBoot({ kernel: gzipSync(image()).subarray(0, 30), kernelName: 'Image.gz', ramBase: RAM, ramSize: 128 * MiB }),
      /^Image.gz: offset 0x0: gzip stream is corrupt/],
    ['a header error inside a gzip stream', () => { const b = image(); b[0x18] |= 1; return planLinuxBoot({ kernel: gzipSync(b), kernelName: 'Image.gz', ramBase: RAM, ramSize: 128 * MiB }); },
      /^Image.gz \(inflated\): offset 0x18/],
    ['a kernel larger than RAM', () => { const b = image(); new DataView(b.buffer).setBigUint64(0x10, BigInt(200 * MiB), true); return planLinuxBoot({ kernel: b, ramBase: RAM, ramSize: 128 * MiB }); },
      /kernel is too large to fit in RAM \(kernel size 209715200, RAM size 134217728\)/],
    ['no room for the initrd', () => { const b = image(); new DataView(b.buffer).setBigUint64(0x10, BigInt(126 * MiB), true); return planLinuxBoot({ kernel: b, initrd: new Uint8Array(10), ramBase: RAM, ramSize: 128 * MiB }); },
      /initrd: not enough space after kernel to load initrd/],
    ['an initrd too big', () => planLinuxBoot({ kernel: image(), initrd: new Uint8Array(65 * MiB), ramBase: RAM, ramSize: 128 * MiB }),
      /initrd: could not load initrd: too big to fit into RAM after the kernel/],
    ['no room for the DTB', () => planLinuxBoot({ kernel: image(), initrd: new Uint8Array(63 * MiB), ramBase: RAM, ramSize: 128 * MiB, dtb: fakeDtb }),
      /Not enough space for DTB after kernel\/initrd/],
  ];
  for (const [what, f, msg] of errors) {
    it(`rejects ${what}`, () => assert.throws(f, (e: unknown) => e instanceof ImageError && msg.test(e.message) ? true : assert.fail(String(e))));
  }
});
