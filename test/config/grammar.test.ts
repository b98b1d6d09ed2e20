import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The TextMate grammars are data; check they load, every regex compiles, and the main rules
// match what they should (JS regexes accept the subset of Oniguruma syntax these use).
const SYNTAXES = path.resolve(__dirname, '../../../syntaxes');
const load = (f: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(SYNTAXES, f), 'utf8')) as Record<string, unknown>;

function regexes(node: unknown, out: string[] = []): string[] {
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push(v);
      else regexes(v, out);
    }
  }
  return out;
}

describe('TextMate grammars and language configuration', () => {
  const xl = load('xlcfg.tmLanguage.json') as { scopeName: string; repository: Record<string, { match?: string; patterns?: { match: string; name: string }[] }> };
  const sys = load('hvsys.tmLanguage.json') as { scopeName: string; patterns: { include?: string }[] };

  it('declare their scopes, and the system grammar builds on the xl.cfg one', () => {
    assert.equal(xl.scopeName, 'source.xlcfg');
    assert.equal(sys.scopeName, 'source.hvsys');
    assert.ok(sys.patterns.some((p) => p.include === 'source.xlcfg'));
  });

  it('have regexes that compile', () => {
    const all = [...regexes(xl), ...regexes(sys)];
    assert.ok(all.length > 10);
    for (const r of all) assert.doesNotThrow(() => new RegExp(r, 'm'), r);
  });

  it('match keys, comments and numbers', () => {
    const key = new RegExp(xl.repository.assignment.match!, 'm');
    assert.deepEqual(key.exec('  memory = 512')?.slice(1, 4), ['memory', undefined, '=']);
    assert.deepEqual(key.exec('Memory += 1')?.slice(1, 4), [undefined, 'Memory', '+=']);
    assert.equal(new RegExp(xl.repository.comment.match!).exec('a = 1 # note')?.[0], '# note');
    const numbers = xl.repository.number.patterns!;
    const scopeOf = (s: string): string | undefined => numbers.find((p) => new RegExp(`^(?:${p.match})$`).test(s))?.name;
    assert.equal(scopeOf('0x9010'), 'constant.numeric.hex.xlcfg');
    assert.equal(scopeOf('017'), 'constant.numeric.octal.xlcfg');
    assert.equal(scopeOf('512'), 'constant.numeric.decimal.xlcfg');
    assert.equal(scopeOf('512M'), 'invalid.illegal.number.xlcfg');
  });

  it('language configuration: # comments, brackets, auto-closing quotes', () => {
    const conf = load('xlcfg.language-configuration.json') as { comments: { lineComment: string }; brackets: string[][]; autoClosingPairs: { open: string }[] };
    assert.equal(conf.comments.lineComment, '#');
    assert.deepEqual(conf.brackets, [['[', ']']]);
    assert.deepEqual(conf.autoClosingPairs.map((p) => p.open), ['[', '"', '\'']);
  });
});
