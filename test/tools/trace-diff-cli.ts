// `npm run trace-diff -- [--max N] [--context K] [--fpu] [--timeout S] [--keep DIR] <qemu args>`
// Runs the program on qemu-system-aarch64 (-singlestep -d nochain,cpu) and on hvlab (trace hook)
// and reports the first instruction after which the two CPU states differ. Exit 0 when identical.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runTraceDiff } from './trace-diff/run';

const USAGE = `usage: npm run trace-diff -- [--max N] [--context K] [--fpu] [--timeout S] [--keep DIR] <qemu args>
  e.g. npm run trace-diff -- --max 100000 -M virt -cpu max -kernel prog.elf
  --max N       compare at most N instructions (hvlab runs N, QEMU is stopped soon after)
  --context K   list the K instructions before the first difference (default 5)
  --fpu         also compare FPCR/FPSR and Q0-Q31 (QEMU -d cpu,fpu)
  --timeout S   stop QEMU after S seconds (default 60)
  --keep DIR    write qemu.trace and hvlab.trace into DIR and keep them
`;

async function main(argv: string[]): Promise<number> {
  let max: number | undefined, context = 5, fpu = false, timeoutMs = 60000, keep: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a}: expected a number, got '${argv[i]}'`);
      return v;
    };
    switch (a) {
      case '--max': max = num(); break;
      case '--context': context = num(); break;
      case '--fpu': fpu = true; break;
      case '--timeout': timeoutMs = num() * 1000; break;
      case '--keep': keep = resolve(argv[++i] ?? '.'); break;
      case '-h': case '--help': process.stdout.write(USAGE); return 0;
      default: rest.push(a);
    }
  }
  if (!rest.length) { process.stderr.write(USAGE); return 2; }
  if (keep) mkdirSync(keep, { recursive: true });
  const t0 = Date.now();
  const r = await runTraceDiff({ args: rest, max, context, fpu, timeoutMs, workDir: keep, keep: !!keep });
  for (const n of r.notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(r.report + '\n');
  process.stdout.write(`(${r.compared} records compared; qemu ${r.qemuRecords}, hvlab ${r.hvlabRecords}; ${((Date.now() - t0) / 1000).toFixed(1)} s${keep ? `; traces in ${keep}` : ''})\n`);
  return r.identical ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: Error) => {
  process.stderr.write(`trace-diff: ${e.message}\n`);
  process.exitCode = 2;
});
