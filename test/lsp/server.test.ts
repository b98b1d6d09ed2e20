import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeAction, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, Location, MarkupContent, TextEdit,
} from 'vscode-languageserver-protocol';
import { minimalElf64Header } from '../../emulator/config/image-check';
import { TestClient, uri, SERVER } from './lsp-client';

const SYS = 'platform = "virt"\ncpus = 4\nmemory = 1024\ndomains = [ "a.cfg", "b.cfg" ]\nshmem = [ "id=ring, size=64K, owner=a, borrower=b" ]\n';
const A = 'name = "a"\nmemory = 64\nkernel = "k.elf"\nirqs = [ 40 ]\n';
const B_CLASH = 'name = "b"\nmemory = 64\nkernel = "k.elf"\nirqs = [ 41, 40 ]\n';
const B_OK = 'name = "b"\nmemory = 64\nkernel = "k.elf"\nirqs = [ 41 ]\n';

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

describe('language server over stdio', function () {
  this.timeout(20000);
  let dir: string;
  let client: TestClient;
  let sysUri: string;
  let aUri: string;
  let bUri: string;

  before(async () => {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run node scripts/build.mjs`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hvlab-lsp-'));
    fs.writeFileSync(path.join(dir, 'k.elf'), minimalElf64Header());
    fs.writeFileSync(path.join(dir, 'system.hvsys'), SYS);
    fs.writeFileSync(path.join(dir, 'a.cfg'), A);
    fs.writeFileSync(path.join(dir, 'b.cfg'), B_CLASH);
    sysUri = uri(path.join(dir, 'system.hvsys'));
    aUri = uri(path.join(dir, 'a.cfg'));
    bUri = uri(path.join(dir, 'b.cfg'));
    client = new TestClient();
    await client.initialize(dir);
  });

  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes cross-file diagnostics with exact ranges and related information', async () => {
    await client.open(bUri, B_CLASH);
    const diags = await client.waitFor(bUri, (d) => d.some((x) => /interrupt 40/.test(x.message)), 'the IRQ clash on b.cfg');
    const clash = diags.find((x) => /interrupt 40/.test(x.message))!;
    assert.equal(clash.severity, 1);
    assert.deepEqual(clash.range, { start: { line: 3, character: 13 }, end: { line: 3, character: 15 } });
    assert.equal(clash.relatedInformation?.[0].location.uri, aUri);
    assert.deepEqual(clash.relatedInformation?.[0].location.range.start, { line: 3, character: 9 });
    // The other half of the conflict is published for a.cfg, which is not even open.
    const onA = await client.waitFor(aUri, (d) => d.some((x) => /interrupt 40 is also given to b/.test(x.message)), 'the IRQ clash on a.cfg');
    assert.equal(onA.length, 1);
  });

  it('re-validates as the user types', async () => {
    await client.change(bUri, B_OK);
    await client.waitFor(bUri, (d) => d.length === 0, 'b.cfg to become clean');
    await client.waitFor(aUri, (d) => d.length === 0, 'a.cfg to become clean');
    await client.change(bUri, B_OK.replace('memory', 'memroy'));
    const d = await client.waitFor(bUri, (x) => x.some((y) => y.code === 'unknown-key'), 'the unknown key');
    assert.deepEqual(d.find((y) => y.code === 'unknown-key')!.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
  });

  it('offers the did-you-mean fix as a code action', async () => {
    const diags = client.diagnosticsOf(bUri)!.filter((d) => d.code === 'unknown-key');
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: bUri }, range: diags[0].range, context: { diagnostics: diags },
    }) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Change to `memory`');
    assert.deepEqual(actions[0].edit?.changes?.[bUri], [{ range: diags[0].range, newText: 'memory' }]);
    await client.change(bUri, B_OK);
    await client.waitFor(bUri, (d) => d.length === 0, 'b.cfg clean again');
  });

  it('re-validates dependents when a file changes on disk', async () => {
    fs.rmSync(path.join(dir, 'k.elf'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(dir, 'k.elf')), type: 3 }] });
    const d = await client.waitFor(aUri, (x) => x.some((y) => /kernel file not found/.test(y.message)), 'the missing kernel on a.cfg');
    assert.deepEqual(d[0].range, { start: { line: 2, character: 9 }, end: { line: 2, character: 16 } });
    fs.writeFileSync(path.join(dir, 'k.elf'), minimalElf64Header());
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(dir, 'k.elf')), type: 1 }] });
    await client.waitFor(aUri, (x) => x.length === 0, 'the kernel to be found again');
  });

  it('completes keys with documentation and units, and enumerated values', async () => {
    const scratch = uri(path.join(dir, 'scratch.cfg'));
    await client.open(scratch, 'name = "s"\n\non_crash = "\n');
    const keys = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: scratch }, position: { line: 1, character: 0 } }));
    const memory = keys.find((i) => i.label === 'memory')!;
    assert.ok(memory);
    assert.match((memory.documentation as MarkupContent).value, /MiB/);
    assert.equal(memory.detail, 'number, MiB');
    assert.ok(keys.some((i) => i.label === 'vif'));
    const values = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: scratch }, position: { line: 2, character: 12 } }));
    assert.deepEqual(values.map((i) => i.label).slice(0, 3), ['destroy', 'restart', 'rename-restart']);
  });

  it('completes file paths and domain names', async () => {
    const scratch = uri(path.join(dir, 'scratch.cfg'));
    await client.change(scratch, 'name = "s"\nkernel = "\n');
    const files = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: scratch }, position: { line: 1, character: 10 } }));
    assert.ok(files.some((i) => i.label === 'k.elf'), JSON.stringify(files.map((i) => i.label)));
    await client.open(sysUri, SYS + 'evtchn = [ "domain=\n', 'hvlab-system');
    const names = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: sysUri }, position: { line: 5, character: 19 } }));
    assert.deepEqual(names.map((i) => i.label).sort(), ['a', 'b']);
    const domainFiles = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: sysUri }, position: { line: 3, character: 13 } }));
    // Completion lists files on disk (scratch.cfg exists only in the editor).
    assert.deepEqual(domainFiles.map((i) => i.label).sort(), ['a.cfg', 'b.cfg']);
    await client.change(sysUri, SYS);
  });

  it('hovers: key documentation, and who uses an interrupt', async () => {
    await client.open(aUri, A);
    const key = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: aUri }, position: { line: 1, character: 2 } }) as Hover;
    assert.match((key.contents as MarkupContent).value, /\*\*memory\*\* \(MiB\)/);
    await client.change(bUri, B_CLASH);
    await client.waitFor(bUri, (d) => d.length > 0, 'the clash again');
    const irq = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: aUri }, position: { line: 3, character: 10 } }) as Hover;
    assert.match((irq.contents as MarkupContent).value, /Interrupt 40\*\* — SPI 8/);
    assert.match((irq.contents as MarkupContent).value, /Used by: a \(a\.cfg:4\), b \(b\.cfg:4\)/);
  });

  it('finds every reference to an interrupt', async () => {
    const refs = await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri: aUri }, position: { line: 3, character: 10 }, context: { includeDeclaration: true },
    }) as Location[];
    assert.deepEqual(refs.map((l) => [l.uri, l.range.start.line, l.range.start.character]).sort(), [[aUri, 3, 9], [bUri, 3, 13]].sort());
    await client.change(bUri, B_OK);
  });

  it('goes from the system file to domain files and domain definitions', async () => {
    const toFile = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: sysUri }, position: { line: 3, character: 14 } }) as Location[];
    assert.equal(toFile[0].uri, aUri);
    const toName = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: sysUri }, position: { line: 4, character: 48 } }) as Location[];
    assert.equal(toName[0].uri, bUri);
    assert.deepEqual(toName[0].range, { start: { line: 0, character: 7 }, end: { line: 0, character: 10 } });
  });

  it('hovers an iomem range with its users, and finds references to a domain name', async () => {
    await client.change(aUri, A + 'iomem = [ "9010,2" ]\n');
    await client.waitFor(aUri, (d) => d.length === 0, 'a.cfg with iomem');
    const io = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: aUri }, position: { line: 4, character: 12 } }) as Hover;
    assert.match((io.contents as MarkupContent).value, /MMIO 0x9010000-0x9011fff\*\* \(8 KiB\)/);
    assert.match((io.contents as MarkupContent).value, /Used by: a 0x9010000-0x9011fff \(a\.cfg:5\)/);
    const refs = await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri: bUri }, position: { line: 0, character: 8 }, context: { includeDeclaration: true },
    }) as Location[];
    assert.deepEqual(refs.map((l) => [l.uri, l.range.start.line, l.range.start.character]), [[bUri, 0, 7], [sysUri, 4, 48]]);
    await client.change(aUri, A);
  });

  it('lists document symbols', async () => {
    const symbols = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: sysUri } }) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['platform', 'cpus', 'memory', 'domains', 'shmem']);
    assert.deepEqual(symbols[3].children?.map((c) => c.name), ['a.cfg', 'b.cfg']);
  });

  it('formats canonically and stably', async () => {
    const messy = uri(path.join(dir, 'messy.cfg'));
    await client.open(messy, 'name="m";kernel =  "k.elf"\nirqs=[40,\n41]\n');
    const edits = await client.connection.sendRequest('textDocument/formatting', { textDocument: { uri: messy }, options: { tabSize: 4, insertSpaces: true } }) as TextEdit[];
    assert.equal(edits.length, 1);
    assert.equal(edits[0].newText, 'name = "m"\nkernel = "k.elf"\nirqs = [\n    40,\n    41,\n]\n');
    await client.change(messy, edits[0].newText);
    const again = await client.connection.sendRequest('textDocument/formatting', { textDocument: { uri: messy }, options: { tabSize: 4, insertSpaces: true } }) as TextEdit[];
    assert.deepEqual(again, []);
  });

  it('fixes a null-scheduler pinning conflict by moving the vCPU to a free CPU', async () => {
    await client.change(sysUri, SYS.replace('cpus = 4', 'cpus = 4\nscheduler = "null"'));
    await client.change(aUri, A + 'cpus = "2"\n');
    await client.change(bUri, B_OK + 'cpus = "2"\n');
    const diags = await client.waitFor(bUri, (d) => d.some((x) => x.code === 'null-pinning'), 'the pinning conflict');
    const conflict = diags.filter((d: Diagnostic) => d.code === 'null-pinning');
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: bUri }, range: conflict[0].range, context: { diagnostics: conflict },
    }) as CodeAction[];
    assert.equal(actions[0].title, 'Pin vCPU 0 of b to free CPU 0');
    assert.deepEqual(actions[0].edit?.changes?.[bUri], [{ range: { start: { line: 4, character: 7 }, end: { line: 4, character: 10 } }, newText: '"0"' }]);
    await client.change(bUri, B_OK + 'cpus = "0"\n');
    await client.waitFor(bUri, (d) => !d.some((x) => x.code === 'null-pinning'), 'the conflict to be fixed');
  });
});
