import { strict as assert } from 'node:assert';
import { parseRunArgs, parseSize, UsageError } from '../../emulator/cli-options';

describe('hvlab run options (QEMU spellings)', () => {
  it('accepts the QEMU options a script would pass', () => {
    const o = parseRunArgs(['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-smp', '1', '-m', '256M', '-kernel', 'k.elf',
      '-initrd', 'r.img', '-append', 'console=ttyAMA0', '-nographic', '-serial', 'stdio', '-no-reboot', '--stats']);
    assert.equal(o.machine, 'virt');
    assert.equal(o.machineProps.get('gic-version'), '3');
    assert.equal(o.cpu, 'cortex-a57');
    assert.equal(o.memory, 256 * 2 ** 20);
    assert.equal(o.kernel, 'k.elf');
    assert.equal(o.append, 'console=ttyAMA0');
    assert.ok(o.noReboot && o.stats);
  });

  it('reads -m like QEMU: bare numbers are MiB', () => {
    assert.equal(parseSize('128'), 128 * 2 ** 20);
    assert.equal(parseSize('1G'), 2 ** 30);
    assert.equal(parseSize('512k'), 512 * 1024);
    assert.throws(() => parseSize('lots'), UsageError);
  });

  it('accepts -M virt,secure=on (EL3) next to virtualization=on', () => {
    const o = parseRunArgs(['-M', 'virt,secure=on,virtualization=on', '-kernel', 'k']);
    assert.equal(o.machineProps.get('secure'), 'on');
    assert.equal(o.machineProps.get('virtualization'), 'on');
  });

  const bad: [string[], RegExp][] = [
    [['-M', 'virt', '-kernel', 'k', '-vga', 'std'], /unknown option '-vga'/],
    [['-M', 'sbsa-ref', '-kernel', 'k'], /only machine is 'virt'/],
    [['-kernel', 'k'], /no machine given/],
    [['-M', 'virt'], /no kernel given/],
    [['-M', 'virt', '-kernel', 'k', '-cpu', 'cortex-a72'], /supported models are/],
    [['-M', 'virt', '-kernel', 'k', '-serial', 'pty'], /only stdio/],
    [['-M', 'virt', '-kernel'], /needs a value/],
  ];
  for (const [args, msg] of bad) {
    it(`rejects ${args.join(' ')}`, () => assert.throws(() => parseRunArgs(args), (e: unknown) => e instanceof UsageError && msg.test(e.message)));
  }
});
