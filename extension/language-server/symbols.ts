// Document symbols: one per setting; list items become children (each domain file of a
// system, each spec string, each interrupt), so the outline doubles as a table of contents.

import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { parseConfig, Value } from '../../emulator/config/index';

export function documentSymbols(file: string, text: string): DocumentSymbol[] {
  const parsed = parseConfig(file, text);
  return parsed.assignments.map((a) => ({
    name: a.key,
    detail: a.value.kind === 'list' ? `${a.value.items.length} item${a.value.items.length === 1 ? '' : 's'}` : a.value.text,
    kind: a.value.kind === 'list' ? SymbolKind.Array : a.value.atom === 'number' ? SymbolKind.Number : SymbolKind.String,
    range: a.range,
    selectionRange: a.keyRange,
    children: a.value.kind === 'list' ? a.value.items.map((v, i) => itemSymbol(v, i)) : undefined,
  }));
}

function itemSymbol(v: Value, i: number): DocumentSymbol {
  if (v.kind === 'list') {
    return { name: `[${i}]`, kind: SymbolKind.Array, range: v.range, selectionRange: v.open, children: v.items.map(itemSymbol) };
  }
  return { name: v.text === '' ? `[${i}]` : v.text, kind: v.atom === 'number' ? SymbolKind.Number : SymbolKind.String, range: v.range, selectionRange: v.range };
}
