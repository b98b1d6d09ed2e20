// Test helpers: validate in-memory systems (no disk), and pick diagnostics apart.

import { ConfigDiagnostic, memoryFileAccess, validateFile, ValidationResult } from '../../emulator/config/index';
import { minimalArm64ImageHeader, minimalElf64Header } from '../../emulator/config/image-check';

export const DIR = '/t';

/** A kernel every domain can name: "k.elf" (ELF64 AArch64) and "Image" (arm64 Image). */
export function filesWith(extra: Record<string, string | Uint8Array>): Record<string, string | Uint8Array> {
  const files: Record<string, string | Uint8Array> = { [`${DIR}/k.elf`]: minimalElf64Header(), [`${DIR}/Image`]: minimalArm64ImageHeader() };
  for (const [name, content] of Object.entries(extra)) files[name.startsWith('/') ? name : `${DIR}/${name}`] = content;
  return files;
}

export function check(entry: string, files: Record<string, string | Uint8Array>): ValidationResult {
  return validateFile(`${DIR}/${entry}`, memoryFileAccess(filesWith(files)));
}

/** A domain file with sensible defaults; `extra` lines are appended. */
export function domain(name: string, extra = ''): string {
  return `name = "${name}"\nmemory = 64\nkernel = "k.elf"\n${extra}`;
}

export function sys(extra: string, domains: string[] = ['a.cfg', 'b.cfg']): string {
  return `platform = "virt"\ncpus = 4\nmemory = 1024\ndomains = [ ${domains.map((d) => `"${d}"`).join(', ')} ]\n${extra}`;
}

export function errors(r: { diagnostics: ConfigDiagnostic[] }): ConfigDiagnostic[] {
  return r.diagnostics.filter((d) => d.severity === 'error');
}

export function warnings(r: { diagnostics: ConfigDiagnostic[] }): ConfigDiagnostic[] {
  return r.diagnostics.filter((d) => d.severity === 'warning');
}

export function withCode(r: { diagnostics: ConfigDiagnostic[] }, code: ConfigDiagnostic['code']): ConfigDiagnostic[] {
  return r.diagnostics.filter((d) => d.code === code);
}

/** "L:C-L:C", 1-based lines and 0-based columns are confusing; use 0-based like LSP. */
export function at(d: ConfigDiagnostic): string {
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

export function summary(r: { diagnostics: ConfigDiagnostic[] }): string {
  return r.diagnostics.map((d) => `${d.file}:${at(d)} ${d.severity}: ${d.message}`).join('\n');
}
