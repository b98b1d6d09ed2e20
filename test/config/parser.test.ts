import { strict as assert } from 'node:assert';
import { parseConfig, AtomValue, ListValue } from '../../emulator/config/index';
import { PYTHON_HINT } from '../../emulator/config/lexer';

const parse = (text: string) => parseConfig('/t/x.cfg', text);
const atom = (v: unknown): AtomValue => v as AtomValue;
const list = (v: unknown): ListValue => v as ListValue;
const errs = (text: string) => parse(text).diagnostics.filter((d) => d.severity === 'error');

describe('xl.cfg parser', () => {
  it('parses a real Xen on Arm domain config', () => {
    const text = [
      '# Guest for Xen on Arm',
      'name = "debian-arm64"',
      'type = "pvh"',
      'kernel = "/boot/vmlinuz-6.1.0-arm64"',
      'ramdisk = "/boot/initrd.img-6.1.0-arm64"',
      "extra = 'console=hvc0 earlyprintk=xen'",
      'memory = 1024',
      'vcpus = 2',
      'cpus = "0-3,^1"',
      'vif = [ \'bridge=xenbr0,mac=00:16:3e:0a:0b:0c\' ]',
      "disk = [ 'phy:/dev/vg0/guest,xvda,w',",
      "         'file:/srv/iso/debian.iso,xvdb:cdrom,r', ]",
      'iomem = [ "9010,1@9010" ]',
      'irqs = [ 40, 41 ]',
      'on_crash = "coredump-restart"',
      '',
    ].join('\n');
    const p = parse(text);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.assignments.length, 13);
    assert.equal(atom(p.assignments[4].value).text, 'console=hvc0 earlyprintk=xen');
    assert.equal(list(p.assignments[9].value).items.length, 2);
  });

  it('keeps exact positions of keys and values', () => {
    const p = parse('\n  memory  =  512 # MiB\nname="x"');
    const m = p.assignments[0];
    assert.deepEqual(m.keyRange, { start: { line: 1, character: 2 }, end: { line: 1, character: 8 } });
    assert.deepEqual(m.value.range, { start: { line: 1, character: 13 }, end: { line: 1, character: 16 } });
    assert.deepEqual(p.assignments[1].value.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 8 } });
  });

  it('accepts keys as Xen lexes them ([a-z][._0-9a-z]*) and rejects others with a fix', () => {
    assert.deepEqual(errs('a.b_c9 = 1\n'), []);
    const e = errs('Memory = 1\n');
    assert.equal(e.length, 1);
    assert.equal(e[0].code, 'lexical');
    assert.match(e[0].message, /did you mean `memory`/);
    assert.equal(e[0].fixes?.[0].edits[0].newText, 'memory');
    assert.equal(errs('_x = 1\n').length, 1);
  });

  it('reads numbers as decimal, 0x hex and octal tokens; rejects upper-case hex and units', () => {
    const p = parse('a = 10\nb = 0x1f\nc = 017\n');
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.assignments.map((a) => atom(a.value).atom), ['number', 'number', 'number']);
    const upper = errs('b = 0x1F\n');
    assert.equal(upper.length, 1);
    assert.match(upper[0].message, /lower case/);
    assert.match(errs('memory = 512M\n')[0].message, /without units/);
    assert.match(errs('x = 1.5\n')[0].message, /whole numbers/);
  });

  it('decodes strings in both quotes with backslash escapes', () => {
    const p = parse(`a = "x\\"y\\\\z\\n"\nb = 'it\\'s'\n`);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(atom(p.assignments[0].value).text, 'x"y\\z\n');
    assert.equal(atom(p.assignments[1].value).text, "it's");
  });

  it('rejects bad escapes and unterminated strings', () => {
    assert.match(errs('a = "\\q"\n')[0].message, /invalid character after backslash/);
    assert.match(errs('a = "\\x41"\n')[0].message, /numeric escapes/);
    const e = errs('a = "open\nb = 1\n');
    assert.equal(e.length, 1);
    assert.match(e[0].message, /unterminated string/);
    assert.equal(e[0].range.start.line, 0);
  });

  it('parses nested lists spanning lines, with a trailing comma and comments', () => {
    const p = parse('x = [\n  "a", # first\n  [ 1, 2 ],\n\n  "b",\n]\n');
    assert.deepEqual(p.diagnostics, []);
    const l = list(p.assignments[0].value);
    assert.equal(l.items.length, 3);
    assert.equal(list(l.items[1]).items.length, 2);
    assert.equal(l.range.end.line, 5);
  });

  it('accepts empty lists, `;` separators and a last line without newline', () => {
    const p = parse('a = []; b = 2;c = "3"');
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.assignments.length, 3);
    assert.equal(list(p.assignments[0].value).items.length, 0);
  });

  it('parses += as an append', () => {
    const p = parse('extra = "a"\nextra += " b"\n');
    assert.deepEqual(p.diagnostics, []);
    assert.equal(p.assignments[1].op, '+=');
  });

  it('recovers after an error so later mistakes are still reported', () => {
    const p = parse('memory 512\nname = "ok"\nvcpus = = 2\ncpus = "1"\n');
    const e = p.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(e.length, 2);
    assert.deepEqual(e.map((d) => d.range.start.line), [0, 2]);
    assert.match(e[0].message, /expected `=` after `memory`/);
    assert.deepEqual(p.assignments.map((a) => a.key), ['name', 'cpus']);
  });

  it('recovers from an unclosed list at the next `key =` line', () => {
    const p = parse('disk = [ "a",\nname = "x"\nvcpus = 2\n');
    const e = p.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(e.length, 1);
    assert.match(e[0].message, /unclosed `\[`/);
    assert.deepEqual(e[0].range.start, { line: 0, character: 7 });
    assert.deepEqual(p.assignments.map((a) => a.key), ['name', 'vcpus']);
  });

  it('reports a bare word value and a stray value', () => {
    assert.match(errs('type = pvh\n')[0].message, /put text in quotes/);
    assert.match(errs('"x"\n')[0].message, /expected a key/);
    assert.match(errs('a = 1 2\n')[0].message, /expected a new line or `;`/);
  });

  it("gives Xen's Python hint only when a Python-looking file fails", () => {
    const py = parse('import os\nmemory = int(os.environ["M"])\n');
    const hint = py.diagnostics.find((d) => d.code === 'python');
    assert.ok(hint);
    assert.equal(hint.message, PYTHON_HINT);
    assert.match(hint.message, /Arbitrary Python is no longer supported/);
    assert.equal(parse('cmdline = "a-b.c:(d)"\n').diagnostics.length, 0);
  });

  it('warns about CRLF line endings but parses the file', () => {
    const p = parse('a = 1\r\nb = 2\r\n');
    assert.equal(p.assignments.length, 2);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['crlf']);
  });

  it('reports a lexical error once per line like xl', () => {
    const e = errs('memory = (512)\n');
    assert.equal(e.length, 1);
    assert.equal(e[0].code, 'lexical');
  });

  it('does not take the start of a broken key for a key', () => {
    const p = parse('on-crash = "destroy"\nmemory = 1\n');
    assert.equal(p.assignments[0].key, 'on');
    assert.equal(p.assignments[0].keyValid, false);
    assert.equal(p.assignments[1].keyValid, true);
  });
});
