import { strict as assert } from 'node:assert';
import { HYPERVISOR_RESERVE_BYTES } from '../../emulator/config/index';
import { check, domain, errors, sys, warnings, withCode, at, summary } from './helpers';

const two = (system: string, a = domain('a'), b = domain('b')) => check('s.hvsys', { 's.hvsys': system, 'a.cfg': a, 'b.cfg': b });

describe('system validator', () => {
  it('produces a resolved system description when everything is valid', () => {
    const r = two(sys('scheduler = "credit"\ntimeslice = 10\nshmem = [ "id=ring, size=64K, owner=a, borrower=b, gpa=0x80000000" ]\nevtchn = [ "domain=a, port=1, peer=b, peer_port=2" ]\n'),
      domain('a', 'cpus = "0-1"\nvcpus = 2\n'), domain('b', 'cpus = "all,^0"\n'));
    assert.equal(summary(r), '');
    const s = r.system!;
    assert.equal(s.cpus, 4);
    assert.equal(s.memoryBytes, 1024 * 1024 * 1024);
    assert.equal(s.availableMemoryBytes, 1024 * 1024 * 1024 - HYPERVISOR_RESERVE_BYTES);
    assert.deepEqual(s.scheduler, { name: 'credit', timesliceNs: 10_000_000 });
    assert.deepEqual(s.domains.map((d) => d.name), ['a', 'b']);
    assert.deepEqual(s.domains[0].cpuAffinity, [[0, 1], [0, 1]]);
    assert.deepEqual(s.domains[1].cpuAffinity, [[1, 2, 3]]);
    assert.equal(s.domains[0].file, '/t/a.cfg');
    assert.deepEqual(s.sharedMemory, [{ id: 'ring', sizeBytes: 65536, owner: 'a', borrowers: ['b'], guestAddress: 0x80000000 }]);
    assert.deepEqual(s.eventChannels, [{ domain: 'a', port: 1, peer: 'b', peerPort: 2 }]);
    assert.equal(HYPERVISOR_RESERVE_BYTES, 64 * 1024 * 1024);
  });

  it('gives no description when anything is wrong', () => {
    assert.equal(two(sys(''), domain('a', 'memory = 0\n')).system, undefined);
  });

  it('requires platform and domains, and knows its keys', () => {
    const r = check('s.hvsys', { 's.hvsys': 'cpus = 2\nshceduler = "null"\nvcpus = 2\n' });
    assert.deepEqual(withCode(r, 'missing-key').map((d) => d.message.split(':')[0]), ['missing `platform`', 'missing `domains`']);
    const unknown = withCode(r, 'unknown-key');
    assert.match(unknown[0].message, /did you mean `scheduler`\?/);
    assert.match(unknown[1].message, /belongs in a domain file/);
  });

  it('refuses a repeated key in the system file', () => {
    assert.equal(withCode(two(sys('cpus = 2\n')), 'duplicate-key')[0].severity, 'error');
  });

  it('checks platform values and ranges', () => {
    assert.match(errors(two(sys('').replace('"virt"', '"vrit"')))[0].message, /did you mean "virt"/);
    assert.match(errors(two(sys('').replace('cpus = 4', 'cpus = 0')))[0].message, /`cpus` must be between 1 and 8/);
    assert.match(errors(two(sys('scheduler = "credit2"\n')))[0].message, /hvlab implements "credit", "null", "arinc653", "rtds"/);
    assert.match(errors(two(sys('timeslice = 5000\n')))[0].message, /between 1 and 1000 ms/);
    assert.match(errors(two(sys('gic_version = "v2"\n')))[0].message, /GICv3 only/);
  });

  it('reports missing domain files at the entry', () => {
    const r = check('s.hvsys', { 's.hvsys': sys('', ['a.cfg', 'gone.cfg']), 'a.cfg': domain('a') });
    const e = errors(r);
    assert.equal(e.length, 1);
    assert.match(e[0].message, /domain file not found: \/t\/gone\.cfg/);
    assert.equal(at(e[0]), '3:21-3:31');
  });

  it('reports duplicate domain names in both files', () => {
    const r = two(sys(''), domain('same'), domain('same'));
    const e = withCode(r, 'domain-name');
    assert.deepEqual(e.map((d) => d.file).sort(), ['/t/a.cfg', '/t/b.cfg']);
    assert.equal(e[0].related?.[0].file, '/t/a.cfg');
    assert.equal(at(e[0]), '0:7-0:13');
  });

  it('checks total memory against RAM less the hypervisor reserve', () => {
    // 256 MiB board: 192 MiB for domains.
    const small = sys('').replace('memory = 1024', 'memory = 256');
    const fits = two(small, domain('a').replace('memory = 64', 'memory = 96'), domain('b').replace('memory = 64', 'memory = 96'));
    assert.deepEqual(withCode(fits, 'memory'), []);
    const over = two(small, domain('a').replace('memory = 64', 'memory = 128'), domain('b').replace('memory = 64', 'memory = 128'));
    const e = withCode(over, 'memory');
    assert.equal(e[0].file, '/t/s.hvsys');
    assert.match(e[0].message, /need 256 MiB \(a 128 MiB, b 128 MiB\) but only 192 MiB is available: 256 MiB of RAM less the hypervisor's 64 MiB reserve/);
    assert.deepEqual(e[0].related?.map((x) => x.file), ['/t/a.cfg', '/t/b.cfg']);
    assert.equal(e[1].file, '/t/b.cfg');
  });

  it('counts shared memory in the memory budget', () => {
    const small = sys('shmem = [ "id=r, size=8M, owner=a, borrower=b" ]\n').replace('memory = 1024', 'memory = 256');
    const r = two(small, domain('a').replace('memory = 64', 'memory = 96'), domain('b').replace('memory = 64', 'memory = 96'));
    assert.match(withCode(r, 'memory')[0].message, /shared memory 8 MiB/);
  });

  it('refuses vCPUs pinned to CPUs the board lacks, pointing at the CPU', () => {
    const r = two(sys(''), domain('a', 'cpus = "0,6"\n'));
    const e = withCode(r, 'cpu');
    assert.match(e[0].message, /CPU 6 does not exist: the board has 4 CPUs \(0-3\)/);
    assert.equal(e[0].file, '/t/a.cfg');
    assert.equal(at(e[0]), '3:10-3:11');
    assert.equal(e[0].related?.[0].file, '/t/s.hvsys');
    assert.deepEqual(withCode(two(sys(''), domain('a', 'cpus = "0,3"\n')), 'cpu'), []);
    assert.match(withCode(two(sys(''), domain('a', 'cpus = "node:1"\n')), 'cpu')[0].message, /NUMA node 1 does not exist/);
  });

  describe('null scheduler', () => {
    const nul = (cpus: number) => sys('scheduler = "null"\n').replace('cpus = 4', `cpus = ${cpus}`);
    it('refuses more vCPUs than CPUs', () => {
      const r = two(nul(2), domain('a', 'vcpus = 2\n'), domain('b'));
      const e = withCode(r, 'null-pinning');
      assert.match(e[0].message, /the domains have 3 vCPUs and the board 2 CPUs/);
      assert.equal(e[0].file, '/t/s.hvsys');
      assert.deepEqual(withCode(two(nul(3), domain('a', 'vcpus = 2\n'), domain('b')), 'null-pinning'), []);
    });
    it('refuses two vCPUs pinned to one CPU, at both places, with a fix to a free CPU', () => {
      const r = two(nul(4), domain('a', 'cpus = "2"\n'), domain('b', 'cpus = "2"\n'));
      const e = withCode(r, 'null-pinning');
      assert.equal(e.length, 2);
      const onB = e.find((d) => d.file === '/t/b.cfg')!;
      assert.match(onB.message, /vCPU 0 of b needs a CPU of its own, but CPU 2 is taken \(CPU 0 is free\)/);
      assert.equal(onB.related?.[0].file, '/t/a.cfg');
      assert.deepEqual(onB.fixes?.[0].edits, [{ file: '/t/b.cfg', range: onB.range, newText: '"0"' }]);
      assert.ok(e.some((d) => d.file === '/t/a.cfg' && /also wanted by vCPU 0 of b/.test(d.message)));
    });
    it('moves one vCPU of a shared CPU list into a per-vCPU list', () => {
      const r = two(nul(4), domain('a', 'vcpus = 2\ncpus = "1"\n'));
      const e = withCode(r, 'null-pinning').find((d) => d.fixes)!;
      // CPU 0 goes to b's unpinned vCPU, so the first free CPU is 2.
      assert.equal(e.fixes?.[0].edits[0].newText, '[ "1", "2" ]');
    });
    it('accepts distinct pins and flexible vCPUs that can be matched', () => {
      const r = two(nul(3), domain('a', 'vcpus = 2\ncpus = "0-1"\n'), domain('b', 'cpus = "0-2"\n'));
      assert.deepEqual(withCode(r, 'null-pinning'), []);
    });
  });

  it('warns about scheduler parameters the chosen scheduler ignores', () => {
    const r = two(sys('scheduler = "rtds"\ntimeslice = 10\n'), domain('a', 'cpu_weight = 512\n'), domain('b', 'period = 1000\n'));
    const w = withCode(r, 'ignored');
    assert.deepEqual(w.map((d) => d.file), ['/t/a.cfg', '/t/s.hvsys']);
    assert.match(w[0].message, /`cpu_weight` applies to the credit scheduler; the system uses rtds/);
  });

  it('refuses one interrupt given to two domains, at both places', () => {
    const r = two(sys(''), domain('a', 'irqs = [ 40 ]\n'), domain('b', 'irqs = [ 41, 40 ]\n'));
    const e = withCode(r, 'irq');
    assert.equal(e.length, 2);
    assert.deepEqual(e.map((d) => d.file), ['/t/b.cfg', '/t/a.cfg']);
    assert.match(e[0].message, /interrupt 40 is already given to a/);
    assert.equal(at(e[0]), '3:13-3:15');
    assert.equal(e[0].related?.[0].file, '/t/a.cfg');
    assert.deepEqual(withCode(two(sys(''), domain('a', 'irqs = [ 40 ]\n'), domain('b', 'irqs = [ 41 ]\n')), 'irq'), []);
  });

  it('refuses iomem over the GIC, the hypervisor UART, RAM, or another range', () => {
    const io = (s: string) => withCode(two(sys(''), domain('a', `iomem = [ ${s} ]\n`), domain('b', 'iomem = [ "a000,2" ]\n')), 'iomem').map((d) => d.message);
    assert.match(io('"8000,1"')[0], /GIC distributor/);
    assert.match(io('"80a0,1"')[0], /GIC redistributors/);
    assert.deepEqual(io('"8120,1"'), []); // past 4 CPUs' redistributor frames
    assert.match(io('"9000,1"')[0], /hypervisor's UART/);
    assert.match(io('"40000,1"')[0], /board's RAM/);
    const clash = io('"a001,4"');
    assert.equal(clash.length, 2);
    assert.ok(clash.some((m) => /0xa001000-0xa004fff overlaps the iomem of b/.test(m)));
    assert.ok(clash.some((m) => /0xa000000-0xa001fff overlaps the iomem of a/.test(m)));
    assert.match(io('"c000,2", "c001,1"')[0], /another iomem range of this domain/);
    assert.deepEqual(io('"9010,1"'), []);
  });

  it('checks shared memory specs: fields, sizes, unknown domains with did-you-mean', () => {
    const sh = (s: string) => errors(two(sys(`shmem = [ ${s} ]\n`)));
    assert.match(sh('"id=r, size=64K, owner=aa, borrower=b"')[0].message, /no domain is named "aa": did you mean "a"\?/);
    const unknown = sh('"id=r, size=64K, owner=x, borrower=b"')[0];
    assert.match(unknown.message, /the domains are "a", "b"/);
    assert.equal(at(unknown), '4:33-4:34');
    assert.match(sh('"id=r, size=1000, owner=a, borrower=b"')[0].message, /not a multiple of the 4 KiB page size/);
    assert.match(sh('"id=r, size=64K, owner=a"')[0].message, /needs `borrower=`/);
    assert.match(sh('"id=r, size=64K, owner=a, borrower=a"')[0].message, /a borrower must be another domain/);
    assert.match(sh('"id=r, size=64K, owner=a, borower=b"')[0].message, /did you mean `borrower`/);
    assert.match(sh('"id=r, size=64K, owner=a, borrower=b", "id=r, size=4K, owner=b, borrower=a"')[0].message, /used twice/);
    assert.match(sh('"id=r, size=64K, owner=a, borrower=b, gpa=0x40000000"')[0].message, /overlaps a's RAM/);
    assert.deepEqual(sh('"id=r, size=64K, owner=a, borrower=b"'), []);
  });

  it('checks event channels: domains and ports', () => {
    const ev = (s: string) => errors(two(sys(`evtchn = [ ${s} ]\n`)));
    assert.match(ev('"domain=a, port=1, peer=c, peer_port=1"')[0].message, /no domain is named "c"/);
    assert.match(ev('"domain=a, port=0, peer=b, peer_port=1"')[0].message, /between 1 and 4095/);
    assert.match(ev('"domain=a, port=1, peer=b, peer_port=1", "domain=a, port=1, peer=b, peer_port=2"')[0].message, /port 1 of a is already bound/);
    assert.deepEqual(ev('"domain=a, port=1, peer=b, peer_port=1"'), []);
  });

  describe('ARINC 653', () => {
    const ar = (frame: string, windows: string[]) => two(sys(`scheduler = "arinc653"\n${frame}windows = [ ${windows.map((w) => `"${w}"`).join(', ')} ]\n`));
    it('resolves windows in nanoseconds', () => {
      const r = ar('major_frame = 100\n', ['domain=a, start=0, duration=40', 'domain=b, start=40ms, duration=60000us']);
      assert.equal(summary(r), '');
      assert.deepEqual(r.system!.scheduler, {
        name: 'arinc653', majorFrameNs: 100_000_000,
        windows: [{ domain: 'a', vcpu: 0, cpu: 0, startNs: 0, durationNs: 40_000_000 }, { domain: 'b', vcpu: 0, cpu: 0, startNs: 40_000_000, durationNs: 60_000_000 }],
      });
    });
    it('refuses windows that overrun the major frame', () => {
      const e = withCode(ar('major_frame = 100\n', ['domain=a, start=0, duration=40', 'domain=b, start=80, duration=30']), 'arinc653');
      assert.match(e[0].message, /ends at 110 ms, after the 100 ms major frame/);
      assert.equal(e[0].related?.[0].range.start.line, 5);
    });
    it('refuses overlapping windows and unknown domains', () => {
      const r = ar('major_frame = 100\n', ['domain=a, start=0, duration=50', 'domain=b, start=40, duration=10', 'domain=c, start=90, duration=10']);
      assert.match(withCode(r, 'arinc653')[0].message, /overlaps the window of a/);
      assert.match(withCode(r, 'unknown-domain')[0].message, /no domain is named "c"/);
    });
    it('requires a major frame and warns about domains that never run', () => {
      const r = ar('', ['domain=a, start=0, duration=50']);
      assert.match(errors(r)[0].message, /needs `major_frame`/);
      assert.match(warnings(r).find((d) => d.file === '/t/b.cfg')!.message, /b has no ARINC 653 window, so it never runs/);
    });
    it('checks vcpu and cpu numbers of a window', () => {
      const e = withCode(ar('major_frame = 100\n', ['domain=a, start=0, duration=50, vcpu=1', 'domain=b, start=50, duration=50, cpu=9']), 'arinc653');
      assert.match(e[0].message, /vcpu 1 does not exist: a has 1 vCPU/);
      assert.match(e[1].message, /cpu 9 does not exist: the board has 4 CPU/);
    });
  });

  it('detects a system file by content when it is not named .hvsys', () => {
    const r = check('s.cfg', { 's.cfg': sys(''), 'a.cfg': domain('a'), 'b.cfg': domain('b') });
    assert.equal(r.kind, 'system');
    assert.equal(summary(r), '');
  });
});
