// Number conversion with xl's rules. xl stores every atom as text and converts it when a key
// is read, with strtol(text, &end, 0): optional blanks and sign, then decimal, 0x hex or
// 0-prefixed octal, and nothing may follow. So `memory = "512"` is as good as `memory = 512`.

export type NumberResult = { ok: true; value: number } | { ok: false; reason: string };

export function parseXlNumber(text: string): NumberResult {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) {
    if (/^[ \t]*[+-]?0[0-7]*[89]/.test(text)) {
      return { ok: false, reason: `\`${text}\` is not a valid number: a leading 0 means octal, which has no digits 8 or 9` };
    }
    return { ok: false, reason: `\`${text}\` is not a valid number (decimal, 0x hex or 0-prefixed octal)` };
  }
  const digits = m[2];
  let v: number;
  if (/^0[xX]/.test(digits)) v = parseInt(digits.slice(2), 16);
  else if (digits.length > 1 && digits[0] === '0') v = parseInt(digits.slice(1), 8);
  else v = parseInt(digits, 10);
  if (m[1] === '-') v = -v;
  if (!Number.isSafeInteger(v)) return { ok: false, reason: `\`${text}\` is too large` };
  return { ok: true, value: v };
}

/** Hex without prefix, as in iomem's "START,NUM[@GFN]" (xl reads them with SCNx64). */
export function parseHex(text: string): number | undefined {
  const t = text.replace(/^0[xX]/, '');
  if (!/^[0-9a-fA-F]+$/.test(t)) return undefined;
  const v = parseInt(t, 16);
  return Number.isSafeInteger(v) ? v : undefined;
}

export function hex(v: number): string {
  return `0x${v.toString(16)}`;
}
