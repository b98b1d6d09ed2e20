// Completion: keys (with their documentation and units), enumerated values, file paths for
// kernel/ramdisk/device_tree and the system's domain list, the fields of the system file's
// spec strings, and domain names where a spec expects one.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import {
  DOMAIN_KEYS, DOMAIN_NAME_FIELDS, KeyInfo, keyDocumentation, SPEC_FIELDS, SYSTEM_KEYS, XEN_ONLY_KEYS,
} from '../../emulator/config/schema';
import { Position } from '../../emulator/config/index';
import { completionContext } from './cursor-context';

const PATH_KEYS = new Set(['kernel', 'ramdisk', 'device_tree']);

export interface CompletionEnvironment {
  file: string;
  isSystem: boolean;
  /** Names of the domains of the system(s) this file belongs to. */
  domainNames: string[];
}

export function complete(text: string, position: Position, env: CompletionEnvironment): CompletionItem[] {
  const ctx = completionContext(text, position);
  const keys = env.isSystem ? SYSTEM_KEYS : DOMAIN_KEYS;
  if (ctx.kind === 'key') {
    const items = keys.map((k, i) => keyItem(k, i));
    if (!env.isSystem) {
      // Xen keys hvlab ignores still complete (a user porting a config may type them), last.
      for (const k of XEN_ONLY_KEYS) {
        items.push({ label: k, kind: CompletionItemKind.Property, detail: 'xl.cfg key (not implemented by hvlab)', sortText: `z${k}` });
      }
    }
    return items;
  }
  if (ctx.kind !== 'value') return [];
  const info = keys.find((k) => k.key === ctx.key);
  if (ctx.inString) {
    if (PATH_KEYS.has(ctx.key) && !env.isSystem) return pathItems(env.file, ctx.stringPrefix, () => true);
    if (env.isSystem && ctx.key === 'domains') {
      return pathItems(env.file, ctx.stringPrefix, (name, isDir) => isDir || name.endsWith('.cfg'));
    }
    if (env.isSystem && (ctx.key === 'shmem' || ctx.key === 'evtchn' || ctx.key === 'windows')) {
      return specItems(ctx.key, ctx.stringPrefix, env.domainNames);
    }
    if (info?.values) return info.values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: `${ctx.key} value` }));
    return [];
  }
  if (info?.values) {
    return info.values.map((v) => ({ label: `"${v}"`, kind: CompletionItemKind.EnumMember, detail: `${ctx.key} value`, insertText: `"${v}"`, filterText: v }));
  }
  return [];
}

function keyItem(k: KeyInfo, i: number): CompletionItem {
  return {
    label: k.key,
    kind: CompletionItemKind.Property,
    detail: k.unit ? `${k.kind}, ${k.unit}` : k.kind,
    documentation: { kind: MarkupKind.Markdown, value: keyDocumentation(k) },
    insertText: `${k.key} = \${1:${(k.example ?? '').replace(/[$}\\]/g, '\\$&')}}`,
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: `${k.required ? 'a' : 'b'}${String(i).padStart(3, '0')}`,
  };
}

function pathItems(file: string, typed: string, accept: (name: string, isDir: boolean) => boolean): CompletionItem[] {
  const slash = typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  const dir = path.resolve(path.dirname(file), dirPart || '.');
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => !e.name.startsWith('.') && accept(e.name, e.isDirectory()))
    .map((e) => ({
      label: e.isDirectory() ? `${e.name}/` : e.name,
      kind: e.isDirectory() ? CompletionItemKind.Folder : CompletionItemKind.File,
      insertText: e.isDirectory() ? `${e.name}/` : e.name,
      detail: path.join(dir, e.name),
    }));
}

function specItems(key: 'shmem' | 'evtchn' | 'windows', typed: string, domains: string[]): CompletionItem[] {
  const field = /(?:^|,)\s*([a-z_]+)=([^,]*)$/.exec(typed);
  if (field) {
    if (DOMAIN_NAME_FIELDS.has(field[1])) {
      return domains.map((d) => ({ label: d, kind: CompletionItemKind.Value, detail: 'domain' }));
    }
    return [];
  }
  return SPEC_FIELDS[key].map((f) => ({ label: `${f}=`, kind: CompletionItemKind.Field, detail: `${key} field`, insertText: `${f}=` }));
}
