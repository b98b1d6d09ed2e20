// `npm run bench`: hvlab against QEMU on the same CPU-bound bare-metal workload (bench/workload.c),
// plus the register-representation microbenchmark (bench/regrep.ts).
//
//   node out/bench/run.js [--json] [--no-regrep] [--runs N]
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

const ROOT = resolve(__dirname, '../..');
const WORKLOAD = join(ROOT, '.test-cache/bench/workload.elf');

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

interface BenchResult {
  workload: string;
  cli: string;
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
  regrep?: RegrepResult;
}

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const ri = argv.indexOf('--runs');
  const runs = ri >= 0 ? Math.max(1, Number(argv[ri + 1]) | 0) : 1;

  const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build-guests.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0 || !existsSync(WORKLOAD)) fail('could not build the workload (scripts/build-guests.mjs)');
  const cli = cliPath();

  // Best of `runs` for each (the machine may be busy).
  let hv: EmulatorRun | undefined, q: EmulatorRun | undefined;
  let instructions = 0, hvRunSeconds = 0, mips = 0;
  for (let i = 0; i < runs; i++) {
    const h = timed(process.execPath, [join(ROOT, cli), 'run', '-M', 'virt', '-cpu', 'max', '-nographic', '-kernel', WORKLOAD, '--stats']);
    if (h.status !== 0) fail(`hvlab failed (exit ${h.status}):\n${h.stderr}`);
    const m = /hvlab: (\d+) instructions retired in ([\d.]+) s: ([\d.]+) MIPS/.exec(h.stderr);
    if (!m) fail(`hvlab printed no --stats line:\n${h.stderr}`);
    if (!hv || h.wallSeconds < hv.wallSeconds) { hv = h; instructions = Number(m[1]); hvRunSeconds = Number(m[2]); mips = Number(m[3]); }
    const qr = timed('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'max', '-nographic', '-no-reboot', '-monitor', 'none', '-serial', 'stdio', '-kernel', WORKLOAD]);
    if (qr.status !== 0) fail(`qemu failed (exit ${qr.status}):\n${qr.stderr}`);
    if (!q || qr.wallSeconds < q.wallSeconds) q = qr;
  }
  if (!hv || !q) return fail('no runs');
  if (!q.checksum) fail(`QEMU printed no checksum:\n${q.output}`);

  const result: BenchResult = {
    workload: 'bench/workload.c',
    cli,
    checksum: q.checksum,
    checksumsMatch: hv.checksum === q.checksum,
    instructions,
    hvlabMips: mips,
    hvlabWallSeconds: hv.wallSeconds,
    hvlabRunSeconds: hvRunSeconds,
    qemuWallSeconds: q.wallSeconds,
    qemuMipsEstimate: instructions / q.wallSeconds / 1e6,
    ratioHvlabToQemu: hv.wallSeconds / q.wallSeconds,
  };
  if (!argv.includes('--no-regrep')) result.regrep = runRegrep();

  if (json) {
    process.stdout.write(JSON.stringify(result, null, 1) + '\n');
  } else {
    const rows: [string, string][] = [
      ['workload', `${result.workload} (${(instructions / 1e6).toFixed(1)} M instructions)`],
      ['checksum', `${result.checksum} ${result.checksumsMatch ? '(hvlab = QEMU)' : `MISMATCH: hvlab printed ${hv.checksum ?? 'none'}`}`],
      ['hvlab MIPS', `${mips.toFixed(1)}`],
      ['hvlab wall time', `${result.hvlabWallSeconds.toFixed(2)} s (${hvRunSeconds.toFixed(2)} s running guest code; ${cli})`],
      ['QEMU wall time', `${result.qemuWallSeconds.toFixed(2)} s (~${result.qemuMipsEstimate.toFixed(0)} MIPS incl. start-up)`],
      ['hvlab / QEMU time', `${result.ratioHvlabToQemu.toFixed(1)}x`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n');
    if (result.regrep) process.stdout.write('\n' + formatRegrep(result.regrep) + '\n');
  }
  return result.checksumsMatch && (result.regrep?.verified ?? true) ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
