// The quick slice of the random differential tester (test/tools/fuzz): a fixed seed and a modest
// number of random words per instruction class, run on QEMU and hvlab; zero mismatches expected.
// Longer runs: `npm run fuzz:isa -- --count 500` (fresh seed each time, printed).
import { strict as assert } from 'node:assert';
import { ALL_CLASSES } from '../tools/fuzz/generator';
import { formatMismatch, formatTable } from '../tools/fuzz/reporter';
import { runFuzz, type FuzzReport } from '../tools/fuzz/runner';

const SEED = 0x5eed2024;
const PER_CLASS = 80;

describe('random differential test vs QEMU (fuzz:isa quick slice)', function () {
  this.timeout(120000);
  let report: FuzzReport;

  before(() => {
    report = runFuzz({ seed: SEED, count: PER_CLASS, confirm: 4 });
  });

  it('runs every batch on both sides', () => {
    assert.deepEqual(report.errors, [], `seed 0x${SEED.toString(16)}\n${formatTable(report)}`);
  });

  for (const cls of ALL_CLASSES) {
    it(`${cls}: no mismatches`, function () {
      const s = report.stats.find((x) => x.cls === cls)!;
      if (s.encodings === 0) this.skip();
      assert.ok(s.generated > 0, `${cls}: no case could be generated`);
      const ms = report.mismatches.filter((m) => m.cls === cls);
      assert.equal(ms.length, 0, `seed 0x${SEED.toString(16)}: ${ms.length} of ${s.generated} ${cls} cases differ\n` + ms.slice(0, 10).map(formatMismatch).join('\n'));
    });
  }
});
