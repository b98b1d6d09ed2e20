// Validator diagnostics -> LSP diagnostics. The repairs a diagnostic offers travel in its
// `data`, so the code-action request can turn them into edits without re-validating.

import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { ConfigDiagnostic, Fix } from '../../emulator/config/index';
import { UriMap } from './uri';

export interface FixData {
  fixes: { title: string; edits: { uri: string; range: Fix['edits'][number]['range']; newText: string }[] }[];
}

const SEVERITY: Record<ConfigDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(d: ConfigDiagnostic, uris: UriMap): Diagnostic {
  const out: Diagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    source: 'hvlab',
    code: d.code,
    message: d.message,
  };
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: uris.toUri(r.file), range: r.range }, message: r.message }));
  }
  if (d.fixes?.length) {
    const data: FixData = {
      fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ uri: uris.toUri(e.file), range: e.range, newText: e.newText })) })),
    };
    out.data = data;
  }
  return out;
}
