// Reference disassembly from GNU objdump, for comparing hvlab's disassembler with it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OBJDUMP = 'aarch64-linux-gnu-objdump';

/** One objdump line of `-d` output: address, word, and the text after the word. */
export interface ObjdumpLine { addr: bigint; word: number; text: string }

/** Parses `objdump -d`/`-D` output lines like `  400078:\td2800000 \tmov\tx0, #0x0`. */
export function parseObjdump(out: string): ObjdumpLine[] {
  const lines: ObjdumpLine[] = [];
  for (const l of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(l);
    if (m) lines.push({ addr: BigInt('0x' + m[1]), word: parseInt(m[2], 16), text: m[3] });
  }
  return lines;
}

/**
 * Text objdump prints for raw instruction words placed at `base`, in order. Symbol suffixes
 * such as ` <foo+0x8>` never appear for raw binaries; `// #…` comments are kept.
 */
export function objdumpWords(words: readonly number[], base = 0n): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'hvlab-objdump-'));
  try {
    const buf = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => buf.writeUInt32LE(w >>> 0, i * 4));
    const file = join(dir, 'code.bin');
    writeFileSync(file, buf);
    const out = execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-m', 'aarch64', `--adjust-vma=0x${base.toString(16)}`, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const lines = parseObjdump(out);
    if (lines.length !== words.length) throw new Error(`objdump printed ${lines.length} instructions for ${words.length} words`);
    return lines.map((l) => l.text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** objdump prints undecodable words as `.inst\t0x…` with a comment; hvlab has no encoding for them. */
export function isUndefinedText(text: string): boolean {
  return text.startsWith('.inst') || text.startsWith('udf');
}

/**
 * Canonical form for comparison: objdump prints a target as `40000008 <sym+0x8>` when the file
 * has symbols and as `0x40000008` when it has none (hvlab's form); runs of blanks (objdump pads
 * before `// comments`) become one space.
 */
export function normalise(text: string): string {
  return text
    .replace(/(^|[\s,])([0-9a-f]+) <[^>]*>/g, (_m, pre: string, hex: string) => `${pre}0x${hex}`)
    .replace(/[ \t]+/g, ' ')
    .trim();
}
