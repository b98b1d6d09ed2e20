import { strict as assert } from 'node:assert';
import { parseConfig, ConfigDiagnostic, AtomValue, ListValue } from '../../emulator/config/index';
import { resolveSettings } from '../../emulator/config/settings';

function settings(text: string, duplicates: 'warn-last-wins' | 'error' = 'warn-last-wins') {
  const diagnostics: ConfigDiagnostic[] = [];
  const s = resolveSettings(parseConfig('/t/x.cfg', text), { duplicates }, diagnostics);
  return { s, diagnostics };
}

describe('settings (xl semantics for repeated keys)', () => {
  it('keeps the last value and warns about the ignored one, pointing at both', () => {
    const { s, diagnostics } = settings('memory = 1\nmemory = 2\n');
    assert.equal((s.get('memory')!.value as AtomValue).text, '2');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, 'warning');
    assert.equal(diagnostics[0].range.start.line, 1);
    assert.equal(diagnostics[0].related?.[0].range.start.line, 0);
  });

  it('refuses a repeated key where the format forbids it (system files)', () => {
    const { diagnostics } = settings('cpus = 1\ncpus = 2\n', 'error');
    assert.equal(diagnostics[0].severity, 'error');
    assert.equal(diagnostics[0].code, 'duplicate-key');
  });

  it('concatenates strings and lists with +=', () => {
    const { s, diagnostics } = settings('extra = "a"\nextra += " b"\nirqs = [ 40 ]\nirqs += [ 41 ]\n');
    assert.deepEqual(diagnostics, []);
    assert.equal((s.get('extra')!.value as AtomValue).text, 'a b');
    assert.deepEqual((s.get('irqs')!.value as ListValue).items.map((i) => (i as AtomValue).text), ['40', '41']);
  });

  it("refuses += between a list and a string (xl: can't add [list] to \"string\")", () => {
    const { diagnostics } = settings('irqs = [ 40 ]\nirqs += "41"\n');
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0].message, /can't add \[list\] to "string"/);
  });
});
