// Differential test of whole programs: every bare-metal test program in test/programs/ (built by
// scripts/build-guests.mjs into .test-cache/programs/) and the demo guest examples/bare/hello.elf
// run on `qemu-system-aarch64 -M virt -cpu max` and on hvlab. What each writes to UART0 must be
// byte-identical, and both must end with a clean PSCI SYSTEM_OFF.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { firstDifference } from '../tools/harness/output-diff';
import { runHvlab, runQemu, type RunResult } from '../tools/harness/runners';

const ROOT = resolve(__dirname, '../../..');

interface Program { name: string; elf: string; sources: string[]; flags: string[] }

/** Builds what is out of date (fast when nothing is) and returns the programs' list. */
function programs(): Program[] {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-guests.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const list = JSON.parse(readFileSync(join(ROOT, '.test-cache/programs/manifest.json'), 'utf8')) as Program[];
  list.push({ name: 'hello (demo guest)', elf: join(ROOT, 'examples/bare/hello.elf'), sources: ['examples/bare/hello.c'], flags: [] });
  return list;
}

/** objdump's lines around `pc` in `elf`, to show where hvlab stopped. */
function disassemblyAround(elf: string, pc: bigint): string {
  const r = spawnSync('aarch64-linux-gnu-objdump', ['-d', `--start-address=0x${(pc - 12n).toString(16)}`,
    `--stop-address=0x${(pc + 8n).toString(16)}`, elf], { encoding: 'utf8' });
  if (r.status !== 0) return '';
  return r.stdout.split('\n').filter((l) => /^\s*[0-9a-f]+:\t/.test(l) || /^[0-9a-f]+ <.*>:$/.test(l))
    .map((l) => (l.trimStart().startsWith(pc.toString(16) + ':') ? '=> ' : '   ') + l.trim()).join('\n');
}

function stopDescription(elf: string, h: RunResult): string {
  if (!h.error) return '';
  const stop = h.stop as { pc?: bigint } | undefined;
  const where = stop?.pc !== undefined ? disassemblyAround(elf, stop.pc) : '';
  return `\n${h.error}${where ? '\n' + where : ''}`;
}

describe('programs: bare-metal test programs, byte-identical to QEMU', function () {
  this.timeout(300_000);
  const list = programs();
  const qemuCache = new Map<string, RunResult>();

  for (const p of list) {
    it(`${p.name}`, function () {
      assert.ok(existsSync(p.elf), `${p.elf} was not built`);
      let q = qemuCache.get(p.elf);
      if (!q) { q = runQemu(p.elf, { timeoutMs: 60_000 }); qemuCache.set(p.elf, q); }
      assert.equal(q.error, undefined, `${p.name} on QEMU: ${q.error}`);
      assert.ok(q.output.length > 0, `${p.name} printed nothing on QEMU`);
      const h = runHvlab(p.elf, { maxInsns: 2_000_000_000 });
      const diff = firstDifference(q.output, h.output);
      if (diff || h.error) {
        assert.fail(`${p.name} (${p.sources.join(' ')}${p.flags.length ? ' ' + p.flags.join(' ') : ''}): ` +
          (diff ?? 'output identical') + stopDescription(p.elf, h));
      }
      assert.equal(h.stop?.kind, 'poweroff');
    });
  }
});
