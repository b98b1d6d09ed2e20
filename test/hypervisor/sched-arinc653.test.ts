import { strict as assert } from 'node:assert';
import type { Arinc653Window } from '../../emulator/config/types';
import { Arinc653Scheduler } from '../../emulator/hypervisor/sched/arinc653';
import { createScheduler } from '../../emulator/hypervisor/sched';
import { makeDomain, SchedSim } from './sched-sim';

const MS = 1_000_000;
const win = (domain: string, startMs: number, durMs: number, cpu = 0, vcpu = 0): Arinc653Window =>
  ({ domain, vcpu, cpu, startNs: startMs * MS, durationNs: durMs * MS });

describe('arinc653 scheduler', () => {
  it('is registered with the major frame and windows of the system file', () => {
    const s = createScheduler({ name: 'arinc653', majorFrameNs: 100 * MS, windows: [win('a', 0, 10)] }, 1);
    assert.ok(s instanceof Arinc653Scheduler);
  });

  it('runs each partition exactly inside its windows, frame after frame', () => {
    const control = makeDomain('control'), monitor = makeDomain('monitor');
    const windows = [win('control', 0, 40), win('monitor', 40, 20), win('control', 60, 40)];
    const sim = new SchedSim(new Arinc653Scheduler(100 * MS, windows, 1), 1, [control, monitor]).start().runUntil(1000 * MS);
    assert.equal(sim.ran.get(control.vcpus[0]), 800 * MS);
    assert.equal(sim.ran.get(monitor.vcpus[0]), 200 * MS);
    for (const s of sim.slices) {
      const off = s.from % (100 * MS), end = off + (s.to - s.from);
      if (s.vcpu === monitor.vcpus[0]) assert.ok(off >= 40 * MS && end <= 60 * MS, `monitor ran ${s.from}-${s.to}`);
      else assert.ok(end <= 40 * MS || off >= 60 * MS, `control ran ${s.from}-${s.to}`);
    }
    // Decisions come at the window boundaries only.
    const times = new Set(sim.decisions.map((d) => d.at % (100 * MS)));
    assert.deepEqual([...times].sort((a, b) => a - b), [0, 40 * MS, 60 * MS]);
  });

  it('idles the CPU in gaps and when the window\'s vCPU is blocked; untilNs is the window end or the next start', () => {
    const a = makeDomain('a'), b = makeDomain('b');
    const sched = new Arinc653Scheduler(50 * MS, [win('a', 10, 10), win('b', 30, 10)], 1);
    const sim = new SchedSim(sched, 1, [a, b]).start();
    assert.equal(sim.decisions[0].decision.vcpu, undefined);
    assert.equal(sim.decisions[0].decision.untilNs, 10 * MS);
    sim.runUntil(10 * MS);
    assert.equal(sim.cpus[0].current, a.vcpus[0]);
    assert.equal(sim.cpus[0].until, 20 * MS);
    sim.runUntil(15 * MS);
    sim.block(a.vcpus[0]);
    // a is blocked: nobody else gets its window, the CPU idles to its end.
    assert.equal(sim.cpus[0].current, undefined);
    assert.equal(sim.cpus[0].until, 20 * MS);
    sim.runUntil(45 * MS);
    assert.equal(sim.cpus[0].current, undefined);
    assert.equal(sim.cpus[0].until, 60 * MS, 'after the last window: the first window of the next frame');
    assert.equal(sim.ran.get(a.vcpus[0]), 5 * MS);
    assert.equal(sim.ran.get(b.vcpus[0]), 10 * MS);
  });

  it('wake inside the vCPU\'s own window returns that CPU; outside it, none', () => {
    const a = makeDomain('a');
    const sched = new Arinc653Scheduler(20 * MS, [win('a', 0, 10)], 1);
    const sim = new SchedSim(sched, 1, [a]).start();
    sim.runUntil(2 * MS);
    sim.block(a.vcpus[0]);
    a.vcpus[0].state = 'runnable';
    assert.equal(sched.wake(a.vcpus[0], 3 * MS), 0);
    assert.equal(sched.wake(a.vcpus[0], 13 * MS), undefined);
  });

  it('keeps separate frames per CPU, and a vCPU only on its window\'s CPU', () => {
    const a = makeDomain('a', { vcpus: 2 }), b = makeDomain('b');
    const windows = [win('a', 0, 5, 0, 0), win('b', 5, 5, 0), win('a', 0, 10, 1, 1)];
    const sim = new SchedSim(new Arinc653Scheduler(10 * MS, windows, 2), 2, [a, b]).start().runUntil(100 * MS);
    assert.deepEqual([...sim.ranOn.get(a.vcpus[0])!], [0]);
    assert.deepEqual([...sim.ranOn.get(a.vcpus[1])!], [1]);
    assert.equal(sim.ran.get(a.vcpus[0]), 50 * MS);
    assert.equal(sim.ran.get(a.vcpus[1]), 100 * MS);
    assert.equal(sim.ran.get(b.vcpus[0]), 50 * MS);
  });

  it('rejects a window outside the vCPU\'s affinity and overlapping windows', () => {
    const a = makeDomain('a', { cpus: [1] });
    assert.throws(() => new Arinc653Scheduler(10 * MS, [win('a', 0, 5, 0)], 2).add(a.vcpus[0]), /a\.vcpu0 has a window on CPU 0, but its affinity \(cpus=\) allows only 1/);
    assert.throws(() => new Arinc653Scheduler(10 * MS, [win('a', 0, 5), win('b', 4, 5)], 1), /overlap on CPU 0/);
    assert.throws(() => new Arinc653Scheduler(10 * MS, [win('a', 8, 5)], 1), /does not fit/);
  });
});
