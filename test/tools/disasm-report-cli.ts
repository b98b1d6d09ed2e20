// `node out/test/tools/disasm-report-cli.js [--top N] FILE...`: hvlab's disassembler against
// objdump over every instruction of the ELF files' executable sections (see disasm-report.ts).
import { existsSync } from 'node:fs';
import { disasmReport, formatReport } from './disasm-report';

function main(argv: string[]): number {
  let top = 30;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else files.push(argv[i]);
  }
  if (files.length === 0 || !Number.isInteger(top) || top < 0) {
    process.stderr.write('usage: node out/test/tools/disasm-report-cli.js [--top N] FILE...\n');
    return 2;
  }
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    process.stderr.write(`no such file: ${missing.join(', ')}` +
      (missing.some((f) => f.includes('.test-cache')) ? ' (run `node scripts/setup.mjs` first)' : '') + '\n');
    return 1;
  }
  const t0 = Date.now();
  const report = disasmReport(files);
  process.stdout.write(formatReport(report, top) + '\n');
  process.stdout.write(`\n(${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
