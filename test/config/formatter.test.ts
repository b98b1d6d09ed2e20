import { strict as assert } from 'node:assert';
import { formatConfig } from '../../emulator/config/index';

describe('formatter', () => {
  it('puts one statement per line with canonical spacing', () => {
    assert.equal(formatConfig('name="a";memory=  512\nvcpus =2'), 'name = "a"\nmemory = 512\nvcpus = 2\n');
  });

  it('keeps quotes, numbers and += as written', () => {
    assert.equal(formatConfig("extra='x'\nextra+=\"y\"\nmemory=0x200\n"), 'extra = \'x\'\nextra += "y"\nmemory = 0x200\n');
  });

  it('lays out single-line lists as [ a, b ] and empty ones as []', () => {
    assert.equal(formatConfig('irqs=[40,41]\ndtdev=[ ]\nv=[[1,2],[]]\n'), 'irqs = [ 40, 41 ]\ndtdev = []\nv = [ [ 1, 2 ], [] ]\n');
  });

  it('lays out multi-line lists one item per line with a trailing comma, keeping comments', () => {
    const input = 'domains = [ "a.cfg", # first\n"b.cfg"\n  # spare\n\n ]\n';
    assert.equal(formatConfig(input), 'domains = [\n    "a.cfg", # first\n    "b.cfg",\n    # spare\n]\n');
  });

  it('keeps comments and at most one blank line', () => {
    const input = '\n\n# header\n\n\n\nname = "a"   # the name   \n\n\nmemory = 1\n\n';
    assert.equal(formatConfig(input), '# header\n\nname = "a" # the name\n\nmemory = 1\n');
  });

  it('is stable: formatting twice equals formatting once', () => {
    const samples = [
      'a=1;b=[1,\n2]# c\n#d\nc = [\n[1,\n2],3,]\n',
      'x = [ # open\n  "a", # one\n  "b" ]\n\n\ny="z"',
      'cpus = [ "0", "1" ]\nextra += "q"\n',
    ];
    for (const s of samples) {
      const once = formatConfig(s);
      assert.ok(once !== undefined);
      assert.equal(formatConfig(once), once, JSON.stringify(s));
    }
  });

  it('leaves files with syntax errors alone', () => {
    assert.equal(formatConfig('memory 512\n'), undefined);
    assert.equal(formatConfig('a = [1,\n'), undefined);
  });
});
