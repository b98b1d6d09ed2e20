import { strict as assert } from 'node:assert';
import { check, errors, warnings, withCode, at } from './helpers';

const K = 'kernel = "k.elf"\n';
const lone = (text: string) => check('d.cfg', { 'd.cfg': text });
const clean = (text: string) => {
  const r = lone(text);
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  return r.domains[0].description;
};

describe('domain validator', () => {
  it('resolves a valid domain into a typed description (bytes, absolute paths, command line)', () => {
    const d = clean('name = "g"\nmemory = 256\nmaxmem = 512\nvcpus = 2\nkernel = "Image"\nroot = "/dev/vda"\nextra = "quiet"\nirqs = [ 40 ]\niomem = [ "9010,2@a000" ]\n');
    assert.equal(d.name, 'g');
    assert.equal(d.memoryBytes, 256 * 1024 * 1024);
    assert.equal(d.maxMemoryBytes, 512 * 1024 * 1024);
    assert.equal(d.vcpus, 2);
    assert.equal(d.maxVcpus, 2);
    assert.equal(d.kernel, '/t/Image');
    assert.equal(d.kernelFormat, 'arm64-image');
    assert.equal(d.cmdline, 'root=/dev/vda quiet');
    assert.deepEqual(d.irqs, [40]);
    assert.deepEqual(d.iomem, [{ hostAddress: 0x09010000, size: 0x2000, guestAddress: 0x0a000000 }]);
    assert.equal(d.onReboot, 'restart');
  });

  it('uses Xen defaults: 32 MiB, 1 vCPU, pvh, weight 256', () => {
    const d = clean(`name = "g"\n${K}`);
    assert.equal(d.memoryBytes, 32 * 1024 * 1024);
    assert.equal(d.vcpus, 1);
    assert.equal(d.type, 'pvh');
    assert.equal(d.scheduling.weight, 256);
    assert.equal(d.scheduling.periodNs, 10_000_000);
  });

  it('requires name and kernel', () => {
    const r = lone('memory = 64\n');
    assert.deepEqual(withCode(r, 'missing-key').map((d) => d.message.split(':')[0]), ['missing `name`', 'missing `kernel`']);
  });

  it('refuses names that cannot be used in the system file', () => {
    const r = lone(`name = "my guest"\n${K}`);
    assert.equal(errors(r)[0].code, 'domain-name');
    assert.equal(at(errors(r)[0]), '0:7-0:17');
  });

  it('refuses guest types other than pvh, with a fix', () => {
    const r = lone(`name = "g"\ntype = "hvm"\n${K}`);
    assert.equal(errors(r).length, 1);
    assert.match(errors(r)[0].message, /does not exist on Arm/);
    assert.equal(errors(r)[0].fixes?.[0].edits[0].newText, '"pvh"');
    assert.match(errors(lone(`name = "g"\ntype = "phv"\n${K}`))[0].message, /did you mean "pvh"/);
  });

  it('checks memory and vCPU ranges and their max counterparts', () => {
    assert.match(errors(lone(`name = "g"\nmemory = 0\n${K}`))[0].message, /`memory` must be between 1 and/);
    const mm = errors(lone(`name = "g"\nmemory = 128\nmaxmem = 64\n${K}`));
    assert.match(mm[0].message, /`maxmem` \(64 MiB\) must be at least `memory` \(128 MiB\)/);
    assert.equal(mm[0].range.start.line, 2);
    assert.match(errors(lone(`name = "g"\nvcpus = 129\n${K}`))[0].message, /between 1 and 128/);
    assert.match(errors(lone(`name = "g"\nvcpus = 2\nmaxvcpus = 1\n${K}`))[0].message, /`maxvcpus` \(1\) must be at least `vcpus` \(2\)/);
    assert.match(errors(lone(`name = "g"\nmemory = "lots"\n${K}`))[0].message, /not a valid number/);
    assert.match(errors(lone(`name = "g"\nmemory = 64\nmemory += 64\n${K}`))[0].message, /can't use \+= with numbers/);
  });

  it('accepts numbers written as strings, as xl does', () => {
    assert.equal(clean(`name = "g"\nmemory = "0x40"\n${K}`).memoryBytes, 64 * 1024 * 1024);
  });

  it('points at the bad term inside a CPU list', () => {
    const r = lone(`name = "g"\ncpus = "0-1,x3"\n${K}`);
    assert.equal(errors(r)[0].code, 'cpu');
    assert.equal(at(errors(r)[0]), '1:12-1:14');
    assert.deepEqual(errors(lone(`name = "g"\ncpus = [ "0", "1" ]\nvcpus = 2\n${K}`)), []);
    const extra = warnings(lone(`name = "g"\ncpus = [ "0", "1" ]\n${K}`));
    assert.match(extra[0].message, /this CPU list \(for vCPU 1\) is ignored/);
  });

  it('checks the kernel exists and is an AArch64 ELF64 or arm64 Image', () => {
    const missing = errors(lone('name = "g"\nkernel = "nope.elf"\n'));
    assert.equal(missing[0].code, 'file');
    assert.match(missing[0].message, /kernel file not found: \/t\/nope\.elf/);
    assert.equal(at(missing[0]), '1:9-1:19');
    const junk = errors(check('d.cfg', { 'd.cfg': 'name = "g"\nkernel = "junk"\n', junk: 'hello world' }));
    assert.equal(junk[0].code, 'image');
    assert.match(junk[0].message, /neither an ELF64 AArch64 file nor an arm64 Image/);
  });

  it('checks ramdisk and device tree files', () => {
    assert.match(errors(lone(`name = "g"\n${K}ramdisk = "initrd"\n`))[0].message, /ramdisk file not found/);
    const dtb = check('d.cfg', { 'd.cfg': `name = "g"\n${K}device_tree = "p.dtb"\n`, 'p.dtb': 'text' });
    assert.match(errors(dtb)[0].message, /not a compiled device tree/);
    const ok = check('d.cfg', { 'd.cfg': `name = "g"\n${K}device_tree = "p.dtb"\nramdisk = "Image"\n`, 'p.dtb': new Uint8Array([0xd0, 0x0d, 0xfe, 0xed, 0, 0]) });
    assert.deepEqual(errors(ok), []);
  });

  it('warns that root and extra are ignored when cmdline is set', () => {
    const r = lone(`name = "g"\n${K}cmdline = "a"\nextra = "b"\n`);
    assert.match(warnings(r)[0].message, /`extra` is ignored because `cmdline` is set/);
    assert.equal(r.domains[0].description.cmdline, 'a');
  });

  it('requires absolute dtdev paths', () => {
    assert.match(errors(lone(`name = "g"\n${K}dtdev = [ "soc/eth" ]\n`))[0].message, /absolute device-tree paths/);
    assert.deepEqual(errors(lone(`name = "g"\n${K}dtdev = [ "/soc/eth" ]\n`)), []);
  });

  it('refuses interrupts that cannot be passed through', () => {
    const r = lone(`name = "g"\n${K}irqs = [ 5, 20, 25, 33, 400, 40 ]\n`);
    const msgs = errors(r).map((d) => d.message);
    assert.match(msgs[0], /SGI/);
    assert.match(msgs[1], /PPI/);
    assert.match(msgs[2], /maintenance interrupt/);
    assert.match(msgs[3], /UART the hypervisor keeps/);
    assert.match(msgs[4], /SPIs 32-287/);
    assert.equal(msgs.length, 5);
    assert.equal(at(errors(r)[3]), '2:20-2:22');
    assert.deepEqual(r.domains[0].description.irqs, [40]);
  });

  it('reads interrupts in decimal like xl and offers the decimal form of hex', () => {
    const e = errors(lone(`name = "g"\n${K}irqs = [ 0x28 ]\n`));
    assert.match(e[0].message, /decimal/);
    assert.equal(e[0].fixes?.[0].edits[0].newText, '40');
  });

  it('wants a list for irqs, with a fix that wraps the value', () => {
    const e = errors(lone(`name = "g"\n${K}irqs = 40\n`));
    assert.match(e[0].message, /`irqs` should be a list/);
    assert.equal(e[0].fixes?.[0].edits[0].newText, '[ 40 ]');
  });

  it('keeps guest SPI 32 for the emulated UART', () => {
    const e = errors(lone(`name = "g"\n${K}vuart = "sbsa_uart"\nirqs = [ 32 ]\n`));
    assert.match(e[0].message, /taken by the guest's emulated UART/);
    assert.deepEqual(errors(lone(`name = "g"\n${K}irqs = [ 32 ]\n`)), []);
    assert.match(errors(lone(`name = "g"\n${K}vuart = "pl011"\n`))[0].message, /only the "sbsa_uart" model/);
  });

  it('parses iomem as hex page numbers', () => {
    assert.match(errors(lone(`name = "g"\n${K}iomem = [ "0x9000000" ]\n`))[0].message, /IOMEM_START,NUM_PAGES/);
    assert.match(errors(lone(`name = "g"\n${K}iomem = [ "9010,0" ]\n`))[0].message, /at least one page/);
  });

  it('emulates only GICv3', () => {
    const e = errors(lone(`name = "g"\n${K}gic_version = "v2"\n`));
    assert.match(e[0].message, /GICv3/);
    assert.deepEqual(errors(lone(`name = "g"\n${K}gic_version = "default"\n`)), []);
  });

  it('maps shutdown actions hvlab lacks, refuses unknown ones', () => {
    const r = lone(`name = "g"\n${K}on_crash = "coredump-restart"\non_poweroff = "destory"\n`);
    assert.match(warnings(r)[0].message, /restarted instead/);
    assert.match(errors(r)[0].message, /did you mean "destroy"/);
    assert.equal(r.domains[0].description.onCrash, 'restart');
  });

  it('checks scheduler parameters', () => {
    assert.match(errors(lone(`name = "g"\n${K}cpu_weight = 0\n`))[0].message, /between 1 and 65535/);
    assert.match(warnings(lone(`name = "g"\n${K}cap = 300\n`))[0].message, /more than the domain's 1 vCPU/);
    assert.match(errors(lone(`name = "g"\n${K}period = 1000\nbudget = 2000\n`))[0].message, /budget \(2000 µs\) must not exceed the period \(1000 µs\)/);
    assert.deepEqual(errors(lone(`name = "g"\n${K}period = 1000\nbudget = 500\n`)), []);
  });

  it('warns about real xl.cfg keys hvlab ignores, and errs on unknown ones with a fix', () => {
    const r = lone(`name = "g"\n${K}vif = [ "bridge=xenbr0" ]\nmemroy = 64\nscheduler = "null"\n`);
    assert.match(warnings(r)[0].message, /`vif` is an xl.cfg key that hvlab does not implement/);
    const e = withCode(r, 'unknown-key');
    assert.match(e[0].message, /unknown key `memroy`: did you mean `memory`\?/);
    assert.deepEqual(e[0].fixes?.[0].edits[0], { file: '/t/d.cfg', range: e[0].range, newText: 'memory' });
    assert.match(e[1].message, /system-file key/);
  });
});
