import { strict as assert } from 'node:assert';
import { RtdsScheduler } from '../../emulator/hypervisor/sched/rtds';
import { createScheduler } from '../../emulator/hypervisor/sched';
import { makeDomain, SchedSim, type RunSlice } from './sched-sim';

const MS = 1_000_000;

/** CPU time `v` got in [from, to). */
function ranIn(slices: RunSlice[], v: unknown, from: number, to: number): number {
  return slices.filter((s) => s.vcpu === v).reduce((t, s) => t + Math.max(0, Math.min(to, s.to) - Math.max(from, s.from)), 0);
}

describe('rtds scheduler', () => {
  it('is registered under its name', () => {
    assert.ok(createScheduler({ name: 'rtds' }, 1) instanceof RtdsScheduler);
  });

  it('gives each vCPU exactly its budget in every period (utilisation 0.9, one CPU) and misses no deadline', () => {
    const a = makeDomain('a', { periodNs: 10 * MS, budgetNs: 3 * MS });
    const b = makeDomain('b', { periodNs: 20 * MS, budgetNs: 6 * MS });
    const c = makeDomain('c', { periodNs: 40 * MS, budgetNs: 12 * MS });
    const sched = new RtdsScheduler(1);
    const sim = new SchedSim(sched, 1, [a, b, c]).start().runUntil(800 * MS);
    for (const [d, p, q] of [[a, 10, 3], [b, 20, 6], [c, 40, 12]] as const) {
      for (let t = 0; t < 800; t += p) assert.equal(ranIn(sim.slices, d.vcpus[0], t * MS, (t + p) * MS), q * MS, `${d.name} in period at ${t} ms`);
    }
    assert.equal(sched.missed.size, 0);
    assert.ok(Math.abs(sim.now * 0.1 - (sim.now - [a, b, c].reduce((t, d) => t + sim.ran.get(d.vcpus[0])!, 0))) < MS, 'idle 10%');
  });

  it('runs in EDF order: the earliest deadline first, ties by domain id', () => {
    const slow = makeDomain('slow', { periodNs: 30 * MS, budgetNs: 5 * MS });
    const fast = makeDomain('fast', { periodNs: 10 * MS, budgetNs: 2 * MS });
    const tie = makeDomain('tie', { periodNs: 10 * MS, budgetNs: 2 * MS });
    const sim = new SchedSim(new RtdsScheduler(1), 1, [slow, fast, tie]).start().runUntil(9 * MS);
    assert.deepEqual(sim.slices.map((s) => [s.vcpu.domain.name, s.from / MS, s.to / MS]), [
      ['fast', 0, 2], ['tie', 2, 4], ['slow', 4, 9],
    ]);
  });

  it('a vCPU out of budget waits for its replenishment even on an idle CPU', () => {
    const a = makeDomain('a', { periodNs: 10 * MS, budgetNs: 2 * MS });
    const sched = new RtdsScheduler(1);
    const sim = new SchedSim(sched, 1, [a]).start().runUntil(3 * MS);
    assert.equal(sim.cpus[0].current, undefined);
    assert.equal(sim.cpus[0].until, 10 * MS);
    assert.deepEqual(sched.stateOf(a.vcpus[0]), { deadlineNs: 10 * MS, budgetLeftNs: 0 });
    sim.runUntil(1000 * MS);
    assert.equal(sim.share(a.vcpus[0]), 0.2);
  });

  it('an earlier deadline released while a later one runs preempts it', () => {
    const long = makeDomain('long', { periodNs: 100 * MS, budgetNs: 50 * MS });
    const short = makeDomain('short', { periodNs: 10 * MS, budgetNs: 1 * MS });
    const sim = new SchedSim(new RtdsScheduler(1), 1, [long, short]);
    sim.wake(long.vcpus[0]);
    sim.start(false);
    sim.runUntil(5 * MS);
    sim.wake(short.vcpus[0]);
    assert.equal(sim.cpus[0].current, short.vcpus[0]);
    sim.runUntil(100 * MS);
    // short gets 1 ms of each of its periods (released at 5 ms), long the rest up to its 50 ms.
    for (let t = 5; t + 10 <= 100; t += 10) assert.equal(ranIn(sim.slices, short.vcpus[0], t * MS, (t + 10) * MS), MS);
    assert.equal(ranIn(sim.slices, long.vcpus[0], 0, 100 * MS), 50 * MS);
  });

  it('a blocked vCPU keeps its budget (deferrable) and gets a new period when it wakes late', () => {
    const a = makeDomain('a', { periodNs: 10 * MS, budgetNs: 4 * MS });
    const sched = new RtdsScheduler(1);
    const sim = new SchedSim(sched, 1, [a]).start().runUntil(1 * MS);
    sim.block(a.vcpus[0]);
    sim.runUntil(5 * MS);
    sim.wake(a.vcpus[0]);
    assert.deepEqual(sched.stateOf(a.vcpus[0]), { deadlineNs: 10 * MS, budgetLeftNs: 3 * MS });
    sim.runUntil(6 * MS);
    sim.block(a.vcpus[0]);
    sim.runUntil(37 * MS);
    sim.wake(a.vcpus[0]);
    assert.deepEqual(sched.stateOf(a.vcpus[0]), { deadlineNs: 40 * MS, budgetLeftNs: 4 * MS });
  });

  it('global EDF on 2 CPUs with affinity: pinned vCPUs stay put, all budgets met', () => {
    const p0 = makeDomain('p0', { periodNs: 10 * MS, budgetNs: 6 * MS, cpus: [0] });
    const p1 = makeDomain('p1', { periodNs: 10 * MS, budgetNs: 6 * MS, cpus: [1] });
    const f = makeDomain('f', { periodNs: 20 * MS, budgetNs: 8 * MS });
    const sched = new RtdsScheduler(2);
    const sim = new SchedSim(sched, 2, [p0, p1, f]).start().runUntil(400 * MS);
    assert.deepEqual([...sim.ranOn.get(p0.vcpus[0])!], [0]);
    assert.deepEqual([...sim.ranOn.get(p1.vcpus[0])!], [1]);
    assert.equal(sim.ran.get(p0.vcpus[0]), 240 * MS);
    assert.equal(sim.ran.get(p1.vcpus[0]), 240 * MS);
    assert.equal(sim.ran.get(f.vcpus[0]), 160 * MS);
    assert.equal(sched.missed.size, 0);
  });

  it('rejects a budget above the period', () => {
    const d = makeDomain('bad', { periodNs: 1 * MS, budgetNs: 2 * MS });
    assert.throws(() => new RtdsScheduler(1).add(d.vcpus[0]), /bad\.vcpu0 needs 0 < budget <= period/);
  });
});
