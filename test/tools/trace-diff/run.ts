// Runs one program on QEMU (-singlestep -d nochain,cpu) and on hvlab (in-process, trace hook) with
// the same QEMU-style arguments, then diffs the two traces (diff.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunArgs } from '../../../emulator/cli-options';
import { boardFromOptions } from '../../../emulator/machine/board-from-options';
import { openTrace } from '../../../emulator/debug/trace';
import type { Cpu, StopReason } from '../../../emulator/cpu/cpu';
import { diffTraces, type TraceDiffResult } from './diff';

export interface TraceRunOptions {
  /** QEMU command-line arguments, e.g. ['-M', 'virt', '-cpu', 'max', '-kernel', 'prog.elf']. */
  args: string[];
  /** Records (instructions) to compare at most. */
  max?: number;
  context?: number;
  /** Also compare FP/SIMD state (QEMU's -d cpu,fpu). */
  fpu?: boolean;
  /** QEMU wall-clock limit (default 60 s). */
  timeoutMs?: number;
  /** Directory for the two traces (default: a fresh temporary directory, removed unless keep). */
  workDir?: string;
  keep?: boolean;
  /** Test hook: wraps hvlab's trace hook (e.g. to perturb one step). */
  wrapHook?: (hook: (cpu: Cpu) => void) => (cpu: Cpu) => void;
}

export interface TraceRunResult extends TraceDiffResult {
  qemuLog: string;
  hvlabLog: string;
  hvlabStop?: StopReason;
  qemuNote?: string;
  notes: string[];
}

/** QEMU options hvlab's `run` does not take and that do not change the machine. */
const DROP_WITH_VALUE = new Set(['-display', '-monitor', '-d', '-D', '-accel', '-name', '-icount', '-rtc']);
const DROP_FLAG = new Set(['-singlestep', '-one-insn-per-tb', '-no-shutdown', '-S', '-enable-kvm']);

export function hvlabArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const o = args[i].startsWith('--') ? args[i].slice(1) : args[i];
    if (DROP_WITH_VALUE.has(o)) { i++; continue; }
    if (DROP_FLAG.has(o)) continue;
    out.push(args[i]);
  }
  return out;
}

function qemuArgs(args: string[], log: string, fpu: boolean): string[] {
  const out = [...args];
  const has = (o: string): boolean => args.some((a) => a === o || a === '-' + o);
  if (!has('-nographic') && !has('-display')) out.push('-nographic');
  if (!has('-singlestep') && !has('-one-insn-per-tb')) out.push('-singlestep');
  out.push('-d', fpu ? 'nochain,cpu,fpu' : 'nochain,cpu', '-D', log);
  return out;
}

export async function runTraceDiff(opts: TraceRunOptions): Promise<TraceRunResult> {
  const dir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'hvlab-trace-'));
  const qemuLog = join(dir, 'qemu.trace'), hvlabLog = join(dir, 'hvlab.trace');
  const notes: string[] = [];
  try {
    // ---- hvlab, in-process
    const ro = parseRunArgs(hvlabArgs(opts.args));
    const board = boardFromOptions(ro, () => undefined);
    const cpu = board.cpus[0];
    const trace = openTrace(hvlabLog, { cpu: ro.cpu, fpu: opts.fpu });
    cpu.beforeInsn = opts.wrapHook ? opts.wrapHook(trace.hook) : trace.hook;
    let stop: StopReason | undefined;
    let crash: string | undefined;
    try {
      stop = board.run(opts.max ?? ro.maxInsns ?? Infinity);
    } catch (e) {
      crash = `hvlab threw at PC 0x${cpu.pc.toString(16)}: ${(e as Error).stack ?? e}`;
    } finally {
      trace.close();
    }
    const hvRecords = trace.records;
    const avg = hvRecords ? statSync(hvlabLog).size / hvRecords : 1000;

    // ---- QEMU
    const qemuNote = await runQemuTraced(qemuArgs(opts.args, qemuLog, opts.fpu === true), qemuLog,
      opts.max !== undefined ? Math.ceil((opts.max + 2) * avg * 1.05) + 4096 : undefined, opts.timeoutMs ?? 60000);

    const describePc = (pc: bigint): string => {
      const p = Number(pc);
      let text = '?';
      if (board.mem.isRam(p) && board.mem.isRam(p + 3)) {
        const w = board.mem.read32(p);
        const enc = cpu.decoder.decode(w);
        text = `${(w >>> 0).toString(16).padStart(8, '0')}  ${enc ? enc.disasm(w, p | 0, Math.floor(p / 2 ** 32)).replace(/\t/g, ' ') + `  (${enc.name})` : '(no encoding: UNDEFINED in hvlab)'}`;
      }
      return `0x${pc.toString(16)}: ${text}`;
    };
    let hvlabEndNote: string | undefined;
    if (crash) hvlabEndNote = crash;
    else if (stop && stop.kind !== 'poweroff' && stop.kind !== 'reset') hvlabEndNote = `hvlab stopped: ${JSON.stringify(stop, (_k, v) => typeof v === 'bigint' ? '0x' + v.toString(16) : v)}`;
    const truncated = qemuNote?.startsWith('killed') ? 'qemu' : stop === undefined && !crash ? 'hvlab' : undefined;
    if (qemuNote) notes.push(qemuNote);
    const r = diffTraces(qemuLog, hvlabLog, { max: opts.max, context: opts.context, describePc, truncated, hvlabEndNote });
    return { ...r, qemuLog, hvlabLog, hvlabStop: stop, qemuNote, notes };
  } finally {
    if (!opts.keep && !opts.workDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs QEMU; stops it with SIGTERM when its log passes `maxBytes` or at the timeout. */
function runQemuTraced(args: string[], log: string, maxBytes: number | undefined, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const p = spawn('qemu-system-aarch64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let why: string | undefined;
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const started = Date.now();
    const timer = setInterval(() => {
      let size = 0;
      try { size = statSync(log).size; } catch { /* not created yet */ }
      if (maxBytes !== undefined && size > maxBytes) { why = 'killed after enough records for --max'; p.kill('SIGTERM'); }
      else if (Date.now() - started > timeoutMs) { why = `killed at the ${timeoutMs / 1000} s timeout`; p.kill('SIGTERM'); }
    }, 50);
    p.on('error', (e) => { clearInterval(timer); reject(e); });
    p.on('exit', (code, signal) => {
      clearInterval(timer);
      if (why) resolve(why);
      else if (code !== 0) resolve(`qemu exited with ${code ?? signal}: ${stderr.trim()}`);
      else resolve(undefined);
    });
  });
}
