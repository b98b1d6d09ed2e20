import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diskFileAccess, formatConfig, validateFile } from '../../emulator/config/index';

// The shipped examples must stay valid (they are what users copy) and already formatted.
const ROOT = path.resolve(__dirname, '../../../examples/systems');

describe('example systems', () => {
  const systems = fs.readdirSync(ROOT).flatMap((d) => fs.readdirSync(path.join(ROOT, d)).map((f) => path.join(ROOT, d, f)));

  it('exist', () => {
    assert.ok(systems.filter((f) => f.endsWith('.hvsys')).length >= 3);
  });

  for (const file of systems.filter((f) => f.endsWith('.hvsys'))) {
    it(`${path.relative(ROOT, file)} validates without errors or warnings`, () => {
      const r = validateFile(file, diskFileAccess);
      assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}: ${d.message}`), []);
      assert.ok(r.system);
    });
  }

  it('the Xen-compat domain loads with warnings only', () => {
    const r = validateFile(path.join(ROOT, 'xen-compat/debian.cfg'), diskFileAccess);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['unsupported-key', 'unsupported-key']);
  });

  for (const file of systems) {
    it(`${path.relative(ROOT, file)} is canonically formatted`, () => {
      const text = fs.readFileSync(file, 'utf8');
      assert.equal(formatConfig(text), text);
    });
  }
});
