import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheck } from '../../emulator/config/check-command';
import { minimalElf64Header } from '../../emulator/config/image-check';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCheck(args, { write: (s: string) => { out += s; } }, { write: (s: string) => { err += s; } });
  return { code, out, err };
}

describe('hvlab check', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvlab-check-'));
    fs.writeFileSync(path.join(dir, 'k.elf'), minimalElf64Header());
    fs.writeFileSync(path.join(dir, 'good.cfg'), 'name = "good"\nkernel = "k.elf"\n');
    fs.writeFileSync(path.join(dir, 'warn.cfg'), 'name = "w"\nkernel = "k.elf"\nvif = [ "bridge=xenbr0" ]\n');
    fs.writeFileSync(path.join(dir, 'bad.cfg'), 'name = "bad"\nkernel = "k.elf"\nirqs = [ 40 ]\nmemroy = 64\n');
    fs.writeFileSync(path.join(dir, 'other.cfg'), 'name = "other"\nkernel = "k.elf"\nirqs = [ 40 ]\n');
    fs.writeFileSync(path.join(dir, 'ok.hvsys'), 'platform = "virt"\nmemory = 512\ndomains = [ "good.cfg" ]\n');
    fs.writeFileSync(path.join(dir, 'clash.hvsys'), 'platform = "virt"\nmemory = 512\ndomains = [ "bad.cfg", "other.cfg" ]\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and reports nothing for a valid system', () => {
    const r = run([path.join(dir, 'ok.hvsys')]);
    assert.equal(r.code, 0);
    assert.equal(r.out, '1 file checked: 0 errors, 0 warnings\n');
  });

  it('exits 0 on warnings only, printing file:line:col: warning:', () => {
    const r = run([path.join(dir, 'warn.cfg')]);
    assert.equal(r.code, 0);
    assert.match(r.out, /warn\.cfg:3:1: warning: `vif` is an xl\.cfg key that hvlab does not implement; it is ignored\n/);
  });

  it('exits 1 on errors, with compiler-style lines across files and notes for the other place', () => {
    const r = run([path.join(dir, 'clash.hvsys')]);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.some((l) => /bad\.cfg:4:1: error: unknown key `memroy`: did you mean `memory`\?$/.test(l)), r.out);
    assert.ok(lines.some((l) => /other\.cfg:3:10: error: interrupt 40 is already given to bad/.test(l)), r.out);
    assert.ok(lines.some((l) => /bad\.cfg:3:10: note: interrupt 40 is given to bad here/.test(l)), r.out);
    assert.match(lines[lines.length - 1], /^1 file checked: 3 errors, 0 warnings$/);
  });

  it('checks lone domain files and several files at once', () => {
    const r = run([path.join(dir, 'good.cfg'), path.join(dir, 'bad.cfg')]);
    assert.equal(r.code, 1);
    assert.match(r.out, /2 files checked: 1 error, 0 warnings/);
  });

  it('reports an unreadable file as an error', () => {
    const r = run([path.join(dir, 'missing.cfg')]);
    assert.equal(r.code, 1);
    assert.match(r.out, /missing\.cfg:1:1: error: cannot read/);
  });

  it('prints usage without arguments (status 2)', () => {
    const r = run([]);
    assert.equal(r.code, 2);
    assert.match(r.err, /usage: hvlab check FILE/);
  });
});
