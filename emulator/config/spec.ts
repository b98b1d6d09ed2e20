// "key=value, key=value" spec strings, the form Xen uses inside list items (vif, disk,
// static_shm, vnuma...). hvlab's system file uses the same form for shared memory, event
// channels and ARINC 653 windows. Offsets are kept so a diagnostic can point at one value.

export interface SpecField {
  key: string;
  value: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

export type SpecParse = { ok: true; fields: SpecField[] } | { ok: false; message: string; start: number; end: number };

export function parseSpec(text: string): SpecParse {
  const fields: SpecField[] = [];
  let offset = 0;
  for (const piece of text.split(',')) {
    const start = offset;
    offset += piece.length + 1;
    if (piece.trim() === '') {
      if (text.trim() === '') return { ok: true, fields };
      return { ok: false, message: 'empty entry: expected key=value', start, end: start + piece.length };
    }
    const eq = piece.indexOf('=');
    if (eq < 0) {
      return { ok: false, message: `\`${piece.trim()}\` is not key=value`, start, end: start + piece.length };
    }
    const rawKey = piece.slice(0, eq);
    const key = rawKey.trim();
    const keyStart = start + rawKey.indexOf(key);
    const rawVal = piece.slice(eq + 1);
    const value = rawVal.trim();
    const valueStart = start + eq + 1 + (value === '' ? 0 : rawVal.indexOf(value));
    fields.push({ key, value, keyStart, valueStart, valueEnd: valueStart + value.length });
  }
  return { ok: true, fields };
}
