import { strict as assert } from 'node:assert';
import { CreditScheduler } from '../../emulator/hypervisor/sched/credit';
import { createScheduler } from '../../emulator/hypervisor/sched';
import { makeDomain, SchedSim } from './sched-sim';

const MS = 1_000_000;

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(4)} is not within ${tolerance} of ${expected.toFixed(4)}`);
}

describe('credit scheduler', () => {
  it('is registered under its name with the system file time slice', () => {
    const s = createScheduler({ name: 'credit', timesliceNs: 5 * MS }, 2);
    assert.equal(s.name, 'credit');
    assert.ok(s instanceof CreditScheduler);
  });

  it('gives weight 512 twice the CPU of weight 256 on one CPU (within 5%)', () => {
    const a = makeDomain('a', { weight: 512 }), b = makeDomain('b', { weight: 256 });
    const sim = new SchedSim(new CreditScheduler(30 * MS, 1), 1, [a, b]).start().runUntil(3000 * MS);
    const ratio = sim.ran.get(a.vcpus[0])! / sim.ran.get(b.vcpus[0])!;
    near(ratio, 2, 0.1, 'a:b');
    near(sim.share(a.vcpus[0]) + sim.share(b.vcpus[0]), 1, 1e-9, 'CPU use');
  });

  it('shares one CPU evenly among three equal domains, round robin in add order', () => {
    const ds = ['x', 'y', 'z'].map((n) => makeDomain(n));
    const sim = new SchedSim(new CreditScheduler(10 * MS, 1), 1, ds).start().runUntil(1500 * MS);
    for (const d of ds) near(sim.share(d.vcpus[0]), 1 / 3, 1 / 60, d.name);
    assert.deepEqual(sim.slices.slice(0, 3).map((s) => s.vcpu.domain.name), ['x', 'y', 'z']);
  });

  it('weight 256:512:768 on one CPU gives 1:2:3', () => {
    const ds = [256, 512, 768].map((w, i) => makeDomain(`w${i}`, { weight: w }));
    const sim = new SchedSim(new CreditScheduler(30 * MS, 1), 1, ds).start().runUntil(6000 * MS);
    ds.forEach((d, i) => near(sim.share(d.vcpus[0]), (i + 1) / 6, (i + 1) / 6 * 0.05, d.name));
  });

  it('parks a capped domain at its cap and gives the rest to others', () => {
    const capped = makeDomain('capped', { cap: 25 }), other = makeDomain('other');
    const sim = new SchedSim(new CreditScheduler(30 * MS, 1), 1, [capped, other]).start().runUntil(3000 * MS);
    near(sim.share(capped.vcpus[0]), 0.25, 0.0125, 'capped');
    near(sim.share(other.vcpus[0]), 0.75, 0.0125, 'other');
  });

  it('a capped domain alone leaves the CPU idle beyond its cap, period after period', () => {
    const capped = makeDomain('capped', { cap: 40 });
    const sched = new CreditScheduler(10 * MS, 1);
    const sim = new SchedSim(sched, 1, [capped]).start().runUntil(1000 * MS);
    near(sim.share(capped.vcpus[0]), 0.4, 0.004, 'capped');
    // Never more than its cap within any one period.
    for (let p = 0; p < 99; p++) {
      const from = p * 10 * MS, to = from + 10 * MS;
      const used = sim.slices.reduce((t, s) => t + Math.max(0, Math.min(to, s.to) - Math.max(from, s.from)), 0);
      assert.ok(used <= 4 * MS + 1, `period ${p}: ran ${used} ns, cap is 4 ms`);
    }
    assert.ok(sched.periods >= 99, `${sched.periods} accounting periods`);
  });

  it('on 2 CPUs gives a 1-vCPU domain of weight 512 one full CPU and two of 256 half each (water filling)', () => {
    const big = makeDomain('big', { weight: 512 }), s1 = makeDomain('s1'), s2 = makeDomain('s2');
    const sim = new SchedSim(new CreditScheduler(30 * MS, 2), 2, [big, s1, s2]).start().runUntil(3000 * MS);
    near(sim.share(big.vcpus[0]), 1, 0.05, 'big');
    near(sim.share(s1.vcpus[0]), 0.5, 0.025, 's1');
    near(sim.share(s2.vcpus[0]), 0.5, 0.025, 's2');
  });

  it('respects affinity and keeps every CPU busy: pinned vCPUs stay put, the others fill in', () => {
    const pinned = makeDomain('pinned', { cpus: [1] }), free1 = makeDomain('f1'), free2 = makeDomain('f2');
    const sim = new SchedSim(new CreditScheduler(30 * MS, 2), 2, [pinned, free1, free2]).start().runUntil(3000 * MS);
    assert.deepEqual([...sim.ranOn.get(pinned.vcpus[0])!], [1]);
    const total = [pinned, free1, free2].reduce((t, d) => t + sim.share(d.vcpus[0]), 0);
    near(total, 2, 1e-6, 'CPU use on 2 CPUs');
    for (const d of [pinned, free1, free2]) near(sim.share(d.vcpus[0]), 2 / 3, 2 / 3 * 0.05, d.name);
  });

  it('wake sends a vCPU to an idle CPU it may use, not to a busy one or one outside its affinity', () => {
    const a = makeDomain('a'), b = makeDomain('b', { cpus: [2] }), c = makeDomain('c');
    const sched = new CreditScheduler(30 * MS, 3);
    const sim = new SchedSim(sched, 3, [a, b, c]);
    sim.wake(a.vcpus[0]);
    sim.start(false);
    // a runs on CPU 0; CPUs 1 and 2 idle.
    assert.equal(sim.cpus[0].current, a.vcpus[0]);
    b.vcpus[0].state = 'runnable';
    assert.equal(sched.wake(b.vcpus[0], 0), 2);
    c.vcpus[0].state = 'runnable';
    assert.equal(sched.wake(c.vcpus[0], 0), 1, 'CPU 2 was already kicked for b');
  });

  it('a woken (boosted) vCPU preempts a CPU hog at once', () => {
    const hog = makeDomain('hog'), io = makeDomain('io');
    const sim = new SchedSim(new CreditScheduler(30 * MS, 1), 1, [hog, io]);
    const iov = io.vcpus[0];
    const latencies: number[] = [];
    let wokeAt: number | undefined;
    // io wakes every 10 ms, runs 0.5 ms and blocks again (an interrupt-driven guest).
    sim.onSwitchIn = (v) => {
      if (v !== iov || wokeAt === undefined) return;
      // From the second period on: a vCPU that never ran has not earned credit yet (as in Xen).
      if (wokeAt >= 60 * MS) latencies.push(sim.now - wokeAt);
      wokeAt = undefined;
      sim.at(sim.now + MS / 2, () => sim.block(iov));
    };
    sim.wake(hog.vcpus[0]);
    sim.start(false);
    for (let t = 10 * MS; t < 1000 * MS; t += 10 * MS) sim.at(t, () => { wokeAt = sim.now; sim.wake(iov); });
    sim.runUntil(1000 * MS);
    assert.equal(latencies.length, 94);
    assert.ok(Math.max(...latencies) === 0, `worst wake-up latency ${Math.max(...latencies)} ns`);
    near(sim.share(iov), 0.05, 0.005, 'io share');
  });

  it('a yield lets the next vCPU run', () => {
    const a = makeDomain('a'), b = makeDomain('b');
    const sim = new SchedSim(new CreditScheduler(30 * MS, 1), 1, [a, b]).start();
    sim.runUntil(MS);
    assert.equal(sim.cpus[0].current, a.vcpus[0]);
    sim.yield(a.vcpus[0]);
    assert.equal(sim.cpus[0].current, b.vcpus[0]);
  });

  it('is deterministic: the same scenario gives the same decisions', () => {
    const trace = (): string => {
      const ds = [512, 256, 256, 128].map((w, i) => makeDomain(`d${i}`, { weight: w, vcpus: 2 }));
      const sim = new SchedSim(new CreditScheduler(5 * MS, 3), 3, ds).start().runUntil(500 * MS);
      return sim.decisions.map((d) => `${d.cpu}@${d.at}:${d.decision.vcpu?.label ?? '-'}/${d.decision.untilNs}`).join('\n');
    };
    const t1 = trace();
    assert.equal(trace(), t1);
    assert.ok(t1.split('\n').length > 100);
  });

  it('rejects a vCPU whose affinity names no CPU of the board', () => {
    const d = makeDomain('far', { cpus: [7] });
    assert.throws(() => new CreditScheduler(30 * MS, 2).add(d.vcpus[0]), /far\.vcpu0 may run on CPUs 7, but the board has 2 CPU/);
  });
});
