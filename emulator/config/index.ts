// Public entry points of the configuration library: one implementation for the hypervisor's
// launcher, `hvlab check` and the language server.

import * as path from 'node:path';
import { FileAccess } from './file-access';
import { validateDomainFile, validateSystemFile, ValidationResult } from './system-validator';

export * from './diagnostics';
export * from './types';
export { FileAccess, diskFileAccess, overlayFileAccess, memoryFileAccess } from './file-access';
export { parseConfig } from './parser';
export type { ParsedConfig, Assignment, Value, AtomValue, ListValue } from './parser';
export { validateSystemFile, validateDomainFile } from './system-validator';
export type { ValidationResult, UsageIndex } from './system-validator';
export type { ValidatedDomain } from './domain-validator';
export { HYPERVISOR_RESERVE_BYTES, VIRT } from './platform';
export { formatConfig } from './formatter';

/**
 * System files get their own extension so that editors and tools know which schema applies
 * without guessing: both kinds share xl.cfg syntax, and Xen's convention already gives domain
 * files `.cfg`.
 */
export const SYSTEM_FILE_EXTENSION = '.hvsys';

export type ConfigFileKind = 'system' | 'domain';

/**
 * `.hvsys` is a system file. Any other file is a domain file, unless its text sets the
 * system-only key `domains` at the start of a line (so `hvlab run system.cfg` also works).
 */
export function detectFileKind(file: string, text: string | undefined): ConfigFileKind {
  if (path.extname(file).toLowerCase() === SYSTEM_FILE_EXTENSION) return 'system';
  if (text !== undefined && /^[ \t]*domains[ \t]*(\+?=)/m.test(text)) return 'system';
  return 'domain';
}

/** Validates a system file with its domains, or a lone domain file. */
export function validateFile(file: string, files: FileAccess): ValidationResult {
  const abs = path.resolve(file);
  return detectFileKind(abs, files.readText(abs)) === 'system' ? validateSystemFile(abs, files) : validateDomainFile(abs, files);
}
