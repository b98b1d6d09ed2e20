// Domain consoles through `hvlab run SYSTEM --console NAME`: stdin goes to that domain's vUART
// (a guest polling UARTFR/UARTDR) and to its CONSOLEIO_read queue; each domain's output is
// printed line by line with a "name| " prefix.
import { strict as assert } from 'node:assert';
import { consoleOf, runCli, writeSystem } from './systems';
import { ConsoleMux } from '../../emulator/hypervisor/console';

describe('hypervisor: consoles', function () {
  this.timeout(60_000);

  it('--console feeds stdin to the named domain\'s vUART (polling echo), not to the others', () => {
    const file = writeSystem([{ name: 'e', kernel: 'echo' }, { name: 'b', kernel: 'poweroff' }]);
    const r = runCli(file, ['--console', 'e'], 'hi there\nsecond\nq');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(consoleOf(r.out, 'e'), ['echo ready', 'hi there', 'second', 'echo done']);
    assert.deepEqual(consoleOf(r.out, 'b'), ['line one', 'line two', 'last line']);
  });

  it('--console feeds CONSOLEIO_read', () => {
    const file = writeSystem([{ name: 'c', kernel: 'conread' }]);
    const r = runCli(file, ['--console', 'c', '--max-insns', '5000000'], 'typed\nend.');
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /instruction limit/);
    assert.deepEqual(consoleOf(r.out, 'c'), ['conread ready', 'typed', 'end.']);
  });

  it('--console names an existing domain', () => {
    const r = runCli(writeSystem([{ name: 'c', kernel: 'conread' }]), ['--console', 'nope'], '');
    assert.notEqual(r.code, 0);
    assert.match(r.err, /--console nope: no such domain \(c\)/);
  });

  it('ConsoleMux: whole lines, each with its domain prefix; partial lines wait, flush ends them', () => {
    const out: number[] = [];
    const m = new ConsoleMux((b) => out.push(b), true);
    const seen: string[] = [];
    m.listeners.push((d, b) => seen.push(`${d}:${Buffer.from(b).toString()}`));
    m.write('a', Buffer.from('one\ntw'));
    m.write('b', Buffer.from('x\n'));
    m.write('a', Buffer.from('o\n'));
    m.log('note');
    m.write('b', Buffer.from('tail'));
    assert.equal(Buffer.from(out).toString(), 'a| one\nb| x\na| two\n(hvlab) note\n');
    m.flush();
    assert.equal(Buffer.from(out).toString(), 'a| one\nb| x\na| two\n(hvlab) note\nb| tail\n');
    assert.deepEqual(seen, ['a:one\ntw', 'b:x\n', 'a:o\n', 'b:tail']);
    const plain: number[] = [];
    const p = new ConsoleMux((b) => plain.push(b), false);
    p.write('a', Buffer.from('z\n'));
    assert.equal(Buffer.from(plain).toString(), 'z\n');
  });
});
