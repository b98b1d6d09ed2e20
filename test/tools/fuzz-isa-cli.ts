// `npm run fuzz:isa -- [--count N] [--seed S] [--class C[,C…]] [--batch B] [--confirm K] [--misalign P] [--out DIR]`
// `npm run fuzz:isa -- --replay FILE.S`
// Random differential testing of hvlab's instruction classes against QEMU (test/tools/fuzz/).
// Exit status: 0 = no mismatches, 1 = mismatches or batches that could not be compared, 2 = usage.
import type { InsnClass } from '../../emulator/arch/encoding';
import { ALL_CLASSES } from './fuzz/generator';
import { freshSeed } from './fuzz/prng';
import { formatMismatches, formatSkips, formatTable } from './fuzz/reporter';
import { replay, runFuzz } from './fuzz/runner';

const USAGE = `usage: npm run fuzz:isa -- [--count N] [--seed S] [--class C[,C...]] [--batch B] [--confirm K] [--out DIR] [--verbose]
       npm run fuzz:isa -- --replay FILE.S
  --count N    cases per instruction class (default 100)
  --seed S     PRNG seed (decimal or 0x hex); default: fresh, printed
  --class C    only these classes: ${ALL_CLASSES.join(', ')}
  --batch B    cases per program / QEMU boot (default 300)
  --confirm K  re-run up to K mismatches standalone (default 12)
  --misalign P probability of a deliberately misaligned exclusive/atomic/ordered access, which
               must fault on both sides (default 0.05)
  --verbose    also list why drawn words were skipped
  --out DIR    reproducer directory (default .test-cache/fuzz/<seed>)
`;

function main(argv: string[]): number {
  let count = 100, seed: number | undefined, classes: InsnClass[] | undefined, batch = 300, confirm = 12, out: string | undefined, verbose = false, misalign: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = (): string => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--count': count = parseInt(v(), 10); break;
      case '--seed': seed = Number(v()) >>> 0; break;
      case '--class': {
        classes = v().split(',') as InsnClass[];
        const bad = classes.filter((c) => !ALL_CLASSES.includes(c));
        if (bad.length) throw new Error(`unknown class ${bad.join(', ')} (classes: ${ALL_CLASSES.join(', ')})`);
        break;
      }
      case '--batch': batch = parseInt(v(), 10); break;
      case '--confirm': confirm = parseInt(v(), 10); break;
      case '--out': out = v(); break;
      case '--misalign': misalign = Number(v()); break;
      case '--verbose': verbose = true; break;
      case '--replay': {
        const diffs = replay(v());
        process.stdout.write(diffs.length ? diffs.join('\n') + '\n' : 'QEMU and hvlab agree on this case\n');
        return diffs.length ? 1 : 0;
      }
      case '-h': case '--help': process.stdout.write(USAGE); return 0;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (!(count > 0) || !(batch > 0)) throw new Error('--count and --batch must be positive');
  seed ??= freshSeed();
  process.stdout.write(`fuzz:isa seed 0x${seed.toString(16)} (repeat with --seed 0x${seed.toString(16)}), ${count} cases per class\n`);
  const r = runFuzz({ seed, count, classes, batchSize: batch, confirm, misalign, outDir: out, log: (l) => process.stdout.write(`  ${l}\n`) });
  process.stdout.write('\n' + formatTable(r) + '\n');
  if (verbose) { const s = formatSkips(r); if (s) process.stdout.write('\n' + s + '\n'); }
  if (r.errors.length) process.stdout.write('\nbatches not compared:\n' + r.errors.map((e) => '  ' + e).join('\n') + '\n');
  if (r.mismatches.length) process.stdout.write('\nmismatches:\n' + formatMismatches(r) + '\n');
  process.stdout.write(`\nseed 0x${seed.toString(16)}: ${r.mismatches.length} mismatches, ${r.errors.length} batch errors, ${r.seconds.toFixed(1)} s\n`);
  return r.mismatches.length || r.errors.length ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`fuzz:isa: ${(e as Error).message}\n${USAGE}`);
  process.exitCode = 2;
}
