// `npm run bench`: hvlab against QEMU on the same CPU-bound bare-metal workload (bench/workload.c),
// run twice — MMU off, and MMU on (bench/mmu-on.S: 4 KiB-granule identity map) — plus the
// register-representation microbenchmark (bench/regrep.ts), and the hypervisor's figures
// (bench/hypervisor.ts: a domain's slowdown against the bare board, the hypercall round trip,
// virtual interrupt latency, the 7-VM switch rate), and Debian's Linux boot to /init on hvlab and
// QEMU (test/linux/linux-boot.ts, when setup has fetched the kernel).
//
//   node out/bench/run.js [--json] [--no-regrep] [--no-hypervisor] [--no-linux] [--runs N]
//
// Builds the workload (scripts/build-guests.mjs), runs it with
//   node dist/cli.js run -M virt -cpu max -nographic -kernel workload.elf --stats
// (out/emulator/cli.js when dist/ has not been built) and with
//   qemu-system-aarch64 -M virt -cpu max -nographic -kernel workload.elf
// checks that both printed the same checksum, and reports hvlab's MIPS and both wall times.
// QEMU's MIPS is derived from hvlab's count: the same program retires the same instructions.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatRegrep, runRegrep, type RegrepResult } from './regrep';
import { formatHypervisorBench, runHypervisorBench, type HypervisorBenchResult } from './hypervisor';
import { bootBoth, KERNEL, MARKER } from '../test/linux/linux-boot';

const ROOT = resolve(__dirname, '../..');
const WORKLOADS = [
  { label: 'MMU off', elf: join(ROOT, '.test-cache/bench/workload.elf') },
  { label: 'MMU on (4 KiB pages)', elf: join(ROOT, '.test-cache/bench/workload-mmu.elf') },
];

interface EmulatorRun { wallSeconds: number; checksum?: string; output: string; stderr: string; status: number | null }

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
}

function timed(cmd: string, args: string[]): EmulatorRun {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, maxBuffer: 64 << 20 });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  return { wallSeconds, output: r.stdout, stderr: r.stderr, status: r.status, checksum: /checksum ([0-9a-f]+)/.exec(r.stdout)?.[1] };
}

function cliPath(): string {
  for (const p of ['dist/cli.js', 'out/emulator/cli.js']) if (existsSync(join(ROOT, p))) return p;
  return fail('no hvlab CLI: run `node scripts/build.mjs` (dist/cli.js) or `npx tsc -p tsconfig.json` (out/)');
}

interface WorkloadResult {
  workload: string;
  checksum: string;
  checksumsMatch: boolean;
  instructions: number;
  hvlabMips: number;
  hvlabWallSeconds: number;
  hvlabRunSeconds: number;
  qemuWallSeconds: number;
  qemuMipsEstimate: number;
  /** hvlab wall time / QEMU wall time (lower is better; 1 = as fast as QEMU). */
  ratioHvlabToQemu: number;
}

interface LinuxBootResult {
  machine: string;
  smp: number;
  hvlabSeconds: number;
  qemuSeconds: number;
  instructions: number;
  /** hvlab wall time / QEMU wall time to the marker. */
  ratio: number;
}

interface BenchResult {
  cli: string;
  linuxBoot?: LinuxBootResult[] | string;
  workloads: WorkloadResult[];
  regrep?: RegrepResult;
  hypervisor?: HypervisorBenchResult;
}

/** Best of `runs` on hvlab and on QEMU for one workload ELF (the machine may be busy). */
function measure(label: string, elf: string, cli: string, runs: number): WorkloadResult & { hvChecksum?: string } {
  let hv: EmulatorRun | undefined, q: EmulatorRun | undefined;
  let instructions = 0, hvRunSeconds = 0, mips = 0;
  for (let i = 0; i < runs; i++) {
    const h = timed(process.execPath, [join(ROOT, cli), 'run', '-M', 'virt', '-cpu', 'max', '-nographic', '-kernel', elf, '--stats']);
    if (h.status !== 0) fail(`hvlab failed (exit ${h.status}):\n${h.stderr}`);
    const m = /hvlab: (\d+) instructions retired in ([\d.]+) s: ([\d.]+) MIPS/.exec(h.stderr);
    if (!m) fail(`hvlab printed no --stats line:\n${h.stderr}`);
    if (!hv || h.wallSeconds < hv.wallSeconds) { hv = h; instructions = Number(m[1]); hvRunSeconds = Number(m[2]); mips = Number(m[3]); }
    const qr = timed('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'max', '-nographic', '-no-reboot', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf]);
    if (qr.status !== 0) fail(`qemu failed (exit ${qr.status}):\n${qr.stderr}`);
    if (!q || qr.wallSeconds < q.wallSeconds) q = qr;
  }
  if (!hv || !q) return fail('no runs');
  if (!q.checksum) fail(`QEMU printed no checksum:\n${q.output}`);
  return {
    workload: `bench/workload.c, ${label}`,
    checksum: q.checksum,
    checksumsMatch: hv.checksum === q.checksum,
    hvChecksum: hv.checksum,
    instructions,
    hvlabMips: mips,
    hvlabWallSeconds: hv.wallSeconds,
    hvlabRunSeconds: hvRunSeconds,
    qemuWallSeconds: q.wallSeconds,
    qemuMipsEstimate: instructions / q.wallSeconds / 1e6,
    ratioHvlabToQemu: hv.wallSeconds / q.wallSeconds,
  };
}

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const ri = argv.indexOf('--runs');
  const runs = ri >= 0 ? Math.max(1, Number(argv[ri + 1]) | 0) : 1;

  const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build-guests.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0 || WORKLOADS.some((w) => !existsSync(w.elf))) fail('could not build the workloads (scripts/build-guests.mjs)');
  const cli = cliPath();

  const measured = WORKLOADS.map((w) => measure(w.label, w.elf, cli, runs));
  const result: BenchResult = { cli, workloads: measured.map(({ hvChecksum: _h, ...r }) => r) };
  if (!argv.includes('--no-regrep')) result.regrep = runRegrep();
  if (!argv.includes('--no-hypervisor')) {
    result.hypervisor = runHypervisorBench({
      workload: WORKLOADS[0].elf, hypercall: join(ROOT, '.test-cache/bench/hypercall.elf'),
      irqLatency: join(ROOT, '.test-cache/bench/irq-latency.elf'), sevenVms: join(ROOT, 'examples/systems/seven-vms/system.hvsys'),
    }, runs);
  }

  if (!argv.includes('--no-linux')) {
    if (!existsSync(KERNEL)) result.linuxBoot = `skipped: ${KERNEL} is missing (node scripts/setup.mjs fetches it)`;
    else {
      result.linuxBoot = [{ smp: 1, machine: 'virt,gic-version=3' }, { smp: 2, machine: 'virt,gic-version=3' }].map(({ smp, machine }) => {
        const { qemu, hvlab } = bootBoth(smp, machine);
        if (!qemu.output.includes(MARKER)) fail(`Linux on QEMU did not reach /init:\n${qemu.output.slice(-2000)}`);
        if (!hvlab.output.includes(MARKER)) fail(`Linux on hvlab did not reach /init:\n${hvlab.stderr}\n${hvlab.output.slice(-2000)}`);
        const instructions = Number(/hvlab: (\d+) instructions retired/.exec(hvlab.stderr)?.[1] ?? 0);
        return { machine, smp, hvlabSeconds: hvlab.seconds, qemuSeconds: qemu.seconds, instructions, ratio: hvlab.seconds / qemu.seconds };
      });
    }
  }

  if (json) {
    process.stdout.write(JSON.stringify(result, null, 1) + '\n');
  } else {
    for (const r of measured) {
      const rows: [string, string][] = [
        ['workload', `${r.workload} (${(r.instructions / 1e6).toFixed(1)} M instructions)`],
        ['checksum', `${r.checksum} ${r.checksumsMatch ? '(hvlab = QEMU)' : `MISMATCH: hvlab printed ${r.hvChecksum ?? 'none'}`}`],
        ['hvlab MIPS', `${r.hvlabMips.toFixed(1)}`],
        ['hvlab wall time', `${r.hvlabWallSeconds.toFixed(2)} s (${r.hvlabRunSeconds.toFixed(2)} s running guest code; ${cli})`],
        ['QEMU wall time', `${r.qemuWallSeconds.toFixed(2)} s (~${r.qemuMipsEstimate.toFixed(0)} MIPS incl. start-up)`],
        ['hvlab / QEMU time', `${r.ratioHvlabToQemu.toFixed(1)}x`],
      ];
      const w = Math.max(...rows.map((row) => row[0].length));
      process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n\n');
    }
    if (result.regrep) process.stdout.write(formatRegrep(result.regrep) + '\n');
    if (result.hypervisor) process.stdout.write(formatHypervisorBench(result.hypervisor) + '\n');
    if (typeof result.linuxBoot === 'string') process.stdout.write(`linux boot  ${result.linuxBoot}\n`);
    else if (result.linuxBoot) {
      for (const l of result.linuxBoot) {
        process.stdout.write(`linux boot  Debian 6.1 to /init, -M ${l.machine} -smp ${l.smp}: hvlab ${l.hvlabSeconds.toFixed(1)} s ` +
          `(${(l.instructions / 1e6).toFixed(0)} M instructions), QEMU ${l.qemuSeconds.toFixed(1)} s, ratio ${l.ratio.toFixed(1)}x\n`);
      }
    }
  }
  return measured.every((r) => r.checksumsMatch) && (result.regrep?.verified ?? true) && (result.hypervisor?.slowdown.checksumsMatch ?? true) ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
