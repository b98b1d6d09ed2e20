// Disassembler conformance over real binaries: every instruction word of Debian's static busybox
// (and of the test programs in .test-cache/programs, when built) must disassemble exactly as GNU
// objdump prints it, for every word hvlab's decode table knows. Words the table does not know yet
// are counted and listed (coverage), not failed: coverage grows issue by issue.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { disassemble, disassembleRange, undefinedText } from '../../emulator/arch/disassemble';
import { disasmReport, formatReport, formatSummary, pct, type DisasmReport } from '../tools/disasm-report';

const ROOT = resolve(__dirname, '..', '..', '..');
const BUSYBOX = join(ROOT, '.test-cache', 'debian', 'busybox');
const PROGRAMS = join(ROOT, '.test-cache', 'programs');

/** Short coverage summary for the test log: table + the most frequent unknown mnemonics. */
function summary(r: DisasmReport, top = 12): string {
  const unknown = [...r.unknownByMnemonic.values()].sort((a, b) => b.count - a.count).slice(0, top);
  return [
    formatSummary(r),
    `unknown to hvlab (top ${unknown.length} of ${r.unknownByMnemonic.size} mnemonics, ${r.unknown} words): ` +
      unknown.map((g) => `${g.mnemonic} ${g.count}`).join(', '),
  ].map((l) => l.replace(/^/gm, '      ')).join('\n');
}

function assertAllKnownMatch(r: DisasmReport): void {
  const bad = r.known - r.identical;
  if (bad !== 0) {
    assert.fail(`${bad} of ${r.known} known words disassemble differently from objdump ` +
      `(match rate ${pct(r.identical, r.known)}):\n${formatReport(r, 30)}`);
  }
}

describe('disassembler vs objdump over real binaries', function () {
  this.timeout(300_000);

  it('disassembles every known word of Debian busybox (arm64) exactly as objdump', function () {
    if (!existsSync(BUSYBOX)) {
      assert.fail(`${BUSYBOX} is missing: run \`node scripts/setup.mjs\` (it fetches Debian's busybox-static:arm64 ` +
        'through scripts/fetch-debian.mjs) before the tests');
    }
    const r = disasmReport([BUSYBOX]);
    console.log(summary(r));
    assert.ok(r.total > 100_000, `objdump printed only ${r.total} instructions for busybox`);
    assertAllKnownMatch(r);
  });

  it('disassembles every known word of the test programs (.test-cache/programs/*.elf) exactly as objdump', function () {
    const elfs = existsSync(PROGRAMS) ? readdirSync(PROGRAMS).filter((f) => f.endsWith('.elf')).sort().map((f) => join(PROGRAMS, f)) : [];
    if (elfs.length === 0) {
      console.log(`      no test programs in ${PROGRAMS} (built by the programs setup step); nothing to compare`);
      this.skip();
    }
    const r = disasmReport(elfs);
    console.log(summary(r));
    assertAllKnownMatch(r);
  });

  it('prints undefined words as objdump does and disassembles ranges at their addresses', function () {
    assert.equal(undefinedText(0xffffffff), '.inst\t0xffffffff ; undefined');
    // B to itself and BL forward at a high address: the target is computed from `pc`.
    assert.equal(disassemble(0x14000000, 0xffff000000001000n), 'b\t0xffff000000001000');
    const bytes = Uint8Array.from([0x00, 0x00, 0x00, 0x14, 0x02, 0x00, 0x00, 0x94, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    const got = disassembleRange(bytes, 0x40000000n);
    assert.deepEqual(got.map((g) => [g.addr, g.word]), [[0x40000000n, 0x14000000], [0x40000004n, 0x94000002], [0x40000008n, 0xffffffff]]);
    assert.equal(got[0].text, 'b\t0x40000000');
    assert.equal(got[1].text, 'bl\t0x4000000c');
    assert.equal(got[2].text, '.inst\t0xffffffff ; undefined');
  });
});
