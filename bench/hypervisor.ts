// The hypervisor's part of `npm run bench`, measured in-process (no CLI start-up in the figures):
//   slowdown   bench/workload.c on the bare board (EL1, no EL2) and as the only domain of a
//              null-scheduler system: wall time and virtual time, both ways; goal < 1 %
//   hypercall  bench/hypercall.S in a domain: N xen_version calls against N empty iterations,
//              timed by the guest with CNTVCT_EL0 (virtual time) and by the host (wall time)
//   irq latency bench/irq-latency.c on the bare board and as a domain: virtual-timer deadline to
//              the guest's handler (CNTVCT ticks, virtual), the difference being the hypervisor's
//              path under the cost model; host wall time per interrupt as a domain
//   switches   examples/systems/seven-vms (seven taskvm domains on CPU 0, credit, 1 ms slice):
//              vCPU switches per virtual second and per host second
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { VirtBoard } from '../emulator/machine/virt-board';
import { launchSystem } from '../emulator/hypervisor/launch';

/** CNTFRQ of the board (62.5 MHz). */
const NS_PER_TICK = 16;

export interface SlowdownResult {
  workload: string;
  checksumsMatch: boolean;
  bare: { instructions: number; wallSeconds: number; virtualMs: number };
  domain: { instructions: number; wallSeconds: number; virtualMs: number; hypervisorMs: number; traps: number };
  /** (domain - bare) / bare, in per cent. */
  wallSlowdownPct: number;
  virtualSlowdownPct: number;
}

export interface HypercallResult {
  calls: number;
  /** Guest view (CNTVCT_EL0 ticks of 16 ns): the call loop minus the empty loop, per call. */
  guestTicksPerCall: number;
  guestNsPerCall: number;
  /** Host wall time of the whole domain run divided by the calls (an upper bound per call). */
  hostNsPerCall: number;
  xenVersion: string;
}

export interface IrqLatencyResult {
  interrupts: number;
  /** Ticks (16 ns) from CNTV_CVAL to the guest's handler: min / avg / max. */
  bare: { min: number; avg: number; max: number };
  domain: { min: number; avg: number; max: number };
  /** Host wall time of the whole run divided by the interrupts: bare board, and as a domain. */
  hostNsPerInterruptBare: number;
  hostNsPerInterrupt: number;
}

export interface SwitchRateResult {
  domains: number;
  switches: number;
  virtualMs: number;
  wallSeconds: number;
  perVirtualSecond: number;
  perWallSecond: number;
  allPoweredOff: boolean;
}

export interface HypervisorBenchResult {
  slowdown: SlowdownResult;
  hypercall: HypercallResult;
  irqLatency: IrqLatencyResult;
  switchRate: SwitchRateResult;
}

interface Run { out: string; wallSeconds: number; instructions: number; virtualNs: number; hypervisorNs: number; traps: number }

function runBare(elf: string): Run {
  const out: number[] = [];
  const board = new VirtBoard({ cpu: 'cortex-a53', smp: 1, memory: 256 << 20, uartOut: (b) => out.push(b) });
  board.loadElf(readFileSync(elf), basename(elf));
  const t0 = process.hrtime.bigint();
  const stop = board.run();
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (stop?.kind !== 'poweroff') throw new Error(`bench: ${elf} on the bare board ended with ${JSON.stringify(stop, (_k, v) => typeof v === 'bigint' ? `0x${v.toString(16)}` : v)}`);
  return { out: Buffer.from(out).toString('latin1'), wallSeconds, instructions: board.retired, virtualNs: board.elapsedNs(), hypervisorNs: 0, traps: 0 };
}

/** `elf` as the only domain (128 MiB, one vCPU pinned to CPU 0) of a null-scheduler system. */
function runDomain(elf: string): Run {
  const dir = mkdtempSync(join(tmpdir(), 'hvlab-bench-'));
  try {
    writeFileSync(join(dir, 'system.hvsys'), 'platform = "virt"\ncpus = 1\nmemory = 256\nscheduler = "null"\ndomains = [ "guest.cfg" ]\n');
    writeFileSync(join(dir, 'guest.cfg'), `name = "guest"\nmemory = 128\ncpus = "0"\nkernel = ${JSON.stringify(resolve(elf))}\n`);
    const out: number[] = [];
    const sys = launchSystem(join(dir, 'system.hvsys'), { uartOut: (b) => out.push(b), prefixConsoles: false });
    const t0 = process.hrtime.bigint();
    const stop = sys.board.run();
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    sys.hypervisor.consoles.flush();
    if (stop?.kind !== 'poweroff') throw new Error(`bench: ${elf} as a domain ended with ${stop?.kind}: ${sys.hypervisor.log.slice(-3).join('; ')}`);
    const d = sys.hypervisor.domains[0];
    return {
      out: Buffer.from(out).toString('latin1'), wallSeconds, instructions: sys.board.retired, virtualNs: sys.board.elapsedNs(),
      hypervisorNs: sys.hypervisor.hypervisorNs, traps: d.counters.traps + d.counters.irqs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A whole system file run in-process: its vCPU switches over virtual and wall time. */
function runSwitches(systemFile: string): SwitchRateResult {
  const sys = launchSystem(systemFile, { uartOut: () => undefined });
  const t0 = process.hrtime.bigint();
  const stop = sys.board.run();
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (stop?.kind !== 'poweroff') throw new Error(`bench: ${systemFile} ended with ${stop?.kind}`);
  const ds = sys.hypervisor.domains;
  const switches = ds.reduce((n, d) => n + d.vcpus.reduce((m, v) => m + v.switches, 0), 0);
  const virtualMs = sys.board.elapsedNs() / 1e6;
  return {
    domains: ds.length, switches, virtualMs, wallSeconds, perVirtualSecond: switches / (virtualMs / 1e3), perWallSecond: switches / wallSeconds,
    allPoweredOff: ds.every((d) => d.shutdownReason === 'poweroff'),
  };
}

function latencyOf(out: string, where: string): { interrupts: number; min: number; avg: number; max: number } {
  const m = /irq latency bench: (\d+) interrupts, min (\d+) avg ([\d.]+) max (\d+) ticks/.exec(out);
  if (!m) throw new Error(`bench: the irq latency guest printed no result ${where}:\n${out}`);
  return { interrupts: Number(m[1]), min: Number(m[2]), avg: Number(m[3]), max: Number(m[4]) };
}

/** The fastest (least wall time) of `runs` runs. */
function best<T extends { wallSeconds: number }>(runs: number, f: () => T): T {
  let r = f();
  for (let i = 1; i < runs; i++) {
    const x = f();
    if (x.wallSeconds < r.wallSeconds) r = x;
  }
  return r;
}

export interface HypervisorBenchInputs { workload: string; hypercall: string; irqLatency: string; sevenVms: string }

export function runHypervisorBench(inp: HypervisorBenchInputs, runs = 1): HypervisorBenchResult {
  const workloadElf = inp.workload, hypercallElf = inp.hypercall;
  const bare = best(runs, () => runBare(workloadElf));
  const dom = best(runs, () => runDomain(workloadElf));
  const sum = (s: string): string | undefined => /checksum ([0-9a-f]+)/.exec(s)?.[1];
  const slowdown: SlowdownResult = {
    workload: 'bench/workload.c, MMU off',
    checksumsMatch: sum(bare.out) !== undefined && sum(bare.out) === sum(dom.out),
    bare: { instructions: bare.instructions, wallSeconds: bare.wallSeconds, virtualMs: bare.virtualNs / 1e6 },
    domain: { instructions: dom.instructions, wallSeconds: dom.wallSeconds, virtualMs: dom.virtualNs / 1e6, hypervisorMs: dom.hypervisorNs / 1e6, traps: dom.traps },
    wallSlowdownPct: (dom.wallSeconds / bare.wallSeconds - 1) * 100,
    virtualSlowdownPct: (dom.virtualNs / bare.virtualNs - 1) * 100,
  };
  const hc = best(runs, () => runDomain(hypercallElf));
  const m = /hypercall bench: loop (\d+) ticks, calls (\d+) ticks, xen_version (0x[0-9a-f]+), (\d+) calls/.exec(hc.out);
  if (!m) throw new Error(`bench: the hypercall guest printed no result:\n${hc.out}`);
  const calls = Number(m[4]);
  // Short runs: the best of at least three, so that the JIT's warm-up is not what is measured.
  const irqBareRun = best(Math.max(runs, 3), () => runBare(inp.irqLatency));
  const irqBare = latencyOf(irqBareRun.out, 'on the bare board');
  const irqDom = best(Math.max(runs, 3), () => runDomain(inp.irqLatency));
  const lat = latencyOf(irqDom.out, 'as a domain');
  const irqLatency: IrqLatencyResult = {
    interrupts: lat.interrupts, bare: irqBare, domain: lat,
    hostNsPerInterruptBare: irqBareRun.wallSeconds * 1e9 / irqBare.interrupts, hostNsPerInterrupt: irqDom.wallSeconds * 1e9 / lat.interrupts,
  };
  const ticks = (Number(m[2]) - Number(m[1])) / calls;
  return {
    slowdown,
    hypercall: { calls, guestTicksPerCall: ticks, guestNsPerCall: ticks * NS_PER_TICK, hostNsPerCall: hc.wallSeconds * 1e9 / calls, xenVersion: m[3] },
    irqLatency,
    switchRate: best(Math.max(runs, 3), () => runSwitches(inp.sevenVms)),
  };
}

export function formatHypervisorBench(r: HypervisorBenchResult): string {
  const s = r.slowdown, h = r.hypercall, w = r.switchRate;
  const lat = (x: { min: number; avg: number; max: number }): string => `min ${x.min}, avg ${x.avg.toFixed(2)}, max ${x.max} ticks (avg ${(x.avg * NS_PER_TICK).toFixed(0)} ns virtual)`;
  const rows: [string, string][] = [
    ['hypervisor: slowdown', `${s.workload}: bare board vs one domain (null scheduler), in-process`],
    ['  checksum', s.checksumsMatch ? 'same on both' : 'MISMATCH'],
    ['  bare board', `${s.bare.wallSeconds.toFixed(2)} s wall, ${s.bare.virtualMs.toFixed(3)} ms virtual, ${(s.bare.instructions / 1e6).toFixed(1)} M instructions`],
    ['  as a domain', `${s.domain.wallSeconds.toFixed(2)} s wall, ${s.domain.virtualMs.toFixed(3)} ms virtual (${s.domain.hypervisorMs.toFixed(3)} ms in the hypervisor, ${s.domain.traps} traps), ${(s.domain.instructions / 1e6).toFixed(1)} M instructions`],
    ['  slowdown', `wall ${s.wallSlowdownPct.toFixed(2)} %, virtual ${s.virtualSlowdownPct.toFixed(3)} % (goal < 1 %)`],
    ['hypervisor: hypercall', `${h.calls} xen_version calls (result ${h.xenVersion}) against an empty loop`],
    // Virtual time advances 1 ns per instruction retired: the guest's CPU is a 1 GHz core, so ns are its cycles.
    ['  guest view', `${h.guestTicksPerCall.toFixed(2)} CNTVCT ticks = ${h.guestNsPerCall.toFixed(0)} ns virtual = ${h.guestNsPerCall.toFixed(0)} guest cycles (1 GHz virtual clock) per round trip`],
    ['  host view', `${h.hostNsPerCall.toFixed(0)} ns wall per call (whole run / calls)`],
    ['hypervisor: irq latency', `${r.irqLatency.interrupts} virtual-timer interrupts, deadline to the guest's handler (16 ns ticks)`],
    ['  bare board', `${lat(r.irqLatency.bare)}; ${r.irqLatency.hostNsPerInterruptBare.toFixed(0)} ns wall per interrupt`],
    ['  as a domain', `${lat(r.irqLatency.domain)}; ${r.irqLatency.hostNsPerInterrupt.toFixed(0)} ns wall per interrupt`],
    ['hypervisor: 7-VM switches', `${w.domains} domains on CPU 0 (examples/systems/seven-vms, credit): ${w.switches} vCPU switches${w.allPoweredOff ? '' : ' (NOT all powered off)'}`],
    ['  rate', `${w.perVirtualSecond.toFixed(0)} per virtual second (${w.virtualMs.toFixed(1)} ms virtual), ${w.perWallSecond.toFixed(0)} per host second (${w.wallSeconds.toFixed(2)} s wall)`],
  ];
  const width = Math.max(...rows.map((x) => x[0].length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}
