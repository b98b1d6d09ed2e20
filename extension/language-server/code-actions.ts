// Quick fixes: the repairs the validator attached to its diagnostics (did-you-mean for keys,
// values and domain names, lower-casing a key, wrapping a value in a list, moving a vCPU to
// a free CPU under the null scheduler).

import { CodeAction, CodeActionKind, Diagnostic, TextEdit } from 'vscode-languageserver';
import { FixData } from './lsp-diagnostics';

export function codeActions(diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = d.data as FixData | undefined;
    if (!data || !Array.isArray(data.fixes)) continue;
    for (const fix of data.fixes) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (changes[e.uri] ??= []).push({ range: e.range, newText: e.newText });
      out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: data.fixes.length === 1, edit: { changes } });
    }
  }
  return out;
}
