import { strict as assert } from 'node:assert';
import { evaluateCpuList, formatCpuSet, parseCpuList } from '../../emulator/config/cpulist';
import { editDistance, suggest } from '../../emulator/config/edit-distance';
import { identifyKernel, isFlattenedDeviceTree, minimalArm64ImageHeader, minimalElf64Header } from '../../emulator/config/image-check';
import { parseHex, parseXlNumber } from '../../emulator/config/numbers';
import { formatSize, parseDuration, parseSize } from '../../emulator/config/sizes';
import { parseSpec } from '../../emulator/config/spec';

describe('numbers (strtol base 0, as xl converts them)', () => {
  it('converts decimal, hex and octal', () => {
    assert.deepEqual(parseXlNumber('42'), { ok: true, value: 42 });
    assert.deepEqual(parseXlNumber('0x2A'), { ok: true, value: 42 });
    assert.deepEqual(parseXlNumber('052'), { ok: true, value: 42 });
    assert.deepEqual(parseXlNumber('0'), { ok: true, value: 0 });
    assert.deepEqual(parseXlNumber(' -5'), { ok: true, value: -5 });
  });
  it('refuses junk, explaining octal', () => {
    assert.equal(parseXlNumber('12ab').ok, false);
    const r = parseXlNumber('09');
    assert.ok(!r.ok && /octal/.test(r.reason));
    assert.equal(parseHex('9010'), 0x9010);
    assert.equal(parseHex('xyz'), undefined);
  });
});

describe('cpulist (Xen CPULIST syntax)', () => {
  const cpus = (s: string, n = 8): number[] => {
    const p = parseCpuList(s);
    assert.ok(p.ok, s);
    return evaluateCpuList(p.terms, n).cpus;
  };
  it('expands ranges, exclusions, all and nodes, left to right', () => {
    assert.deepEqual(cpus('0-3,^1'), [0, 2, 3]);
    assert.deepEqual(cpus('0-3,5,^1'), [0, 2, 3, 5]);
    assert.deepEqual(cpus('all,^7', 8), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(cpus('node:0,^0', 4), [1, 2, 3]);
    assert.deepEqual(cpus('nodes:0', 2), [0, 1]);
    assert.deepEqual(cpus(' 2 '), [2]);
  });
  it('refuses malformed lists with the offending term', () => {
    const bad = (s: string): string => { const p = parseCpuList(s); assert.ok(!p.ok); return p.error.message; };
    assert.match(bad('^all'), /can't combine "\^" and "all"/);
    assert.match(bad('3-1'), /end is below the start/);
    assert.match(bad('1,,2'), /empty entry/);
    const p = parseCpuList('0,x');
    assert.ok(!p.ok && p.error.start === 2 && p.error.end === 3);
  });
  it('reports CPUs and nodes the platform lacks', () => {
    const p = parseCpuList('0,6,node:1');
    assert.ok(p.ok);
    const r = evaluateCpuList(p.terms, 4);
    assert.deepEqual(r.missing.map((t) => t.from), [6, 1]);
    assert.deepEqual(r.cpus, [0]);
  });
  it('formats CPU sets canonically', () => {
    assert.equal(formatCpuSet([3, 0, 1, 2, 5]), '0-3,5');
  });
});

describe('sizes, durations and specs', () => {
  it('parses sizes with suffixes', () => {
    assert.equal(parseSize('64K'), 65536);
    assert.equal(parseSize('2MiB'), 2 * 1024 * 1024);
    assert.equal(parseSize('0x1000'), 4096);
    assert.equal(parseSize('1X'), undefined);
    assert.equal(formatSize(192 * 1024 * 1024), '192 MiB');
  });
  it('parses durations (ms by default)', () => {
    assert.equal(parseDuration('10'), 10_000_000);
    assert.equal(parseDuration('500us'), 500_000);
    assert.equal(parseDuration('1s'), 1_000_000_000);
    assert.equal(parseDuration('1.5ms'), undefined);
  });
  it('splits key=value specs with offsets', () => {
    const s = parseSpec('id=r, size = 64K');
    assert.ok(s.ok);
    assert.deepEqual(s.fields.map((f) => [f.key, f.value, f.valueStart]), [['id', 'r', 3], ['size', '64K', 13]]);
    const bad = parseSpec('id=r, oops');
    assert.ok(!bad.ok && /not key=value/.test(bad.message));
  });
});

describe('did-you-mean', () => {
  it('counts a swapped pair as one edit and suggests within a bound', () => {
    assert.equal(editDistance('memroy', 'memory'), 1);
    assert.equal(suggest('memroy', ['memory', 'maxmem']), 'memory');
    assert.equal(suggest('zzzzzz', ['memory', 'maxmem']), undefined);
  });
});

describe('kernel image recognition', () => {
  it('accepts ELF64 AArch64 and arm64 Image', () => {
    assert.deepEqual(identifyKernel(minimalElf64Header()), { ok: true, format: 'elf64' });
    assert.deepEqual(identifyKernel(minimalArm64ImageHeader()), { ok: true, format: 'arm64-image' });
  });
  it('refuses 32-bit ELF, other machines and junk', () => {
    const elf32 = minimalElf64Header(); elf32[4] = 1;
    assert.match((identifyKernel(elf32) as { reason: string }).reason, /32-bit/);
    const x86 = minimalElf64Header(); x86[18] = 62;
    assert.match((identifyKernel(x86) as { reason: string }).reason, /e_machine 62/);
    assert.equal(identifyKernel(new TextEncoder().encode('hello')).ok, false);
  });
  it('recognises a flattened device tree', () => {
    assert.ok(isFlattenedDeviceTree(new Uint8Array([0xd0, 0x0d, 0xfe, 0xed])));
    assert.ok(!isFlattenedDeviceTree(new Uint8Array([0, 0, 0, 0])));
  });
});
