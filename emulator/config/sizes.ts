// Byte sizes and durations written in hvlab's own spec strings (the system file's shmem and
// ARINC 653 windows). Top-level xl keys keep Xen's units (memory in MiB); inside a
// "key=value, ..." spec a unit suffix makes intent clear: size=64K, duration=2ms.

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** "4096", "0x1000", "64K", "2M", "1G" (also KiB/MiB/GiB) -> bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(0[xX][0-9a-fA-F]+|[0-9]+)\s*([kKmMgG](?:i?[bB])?|[bB])?\s*$/.exec(text);
  if (!m) return undefined;
  const base = /^0[xX]/.test(m[1]) ? parseInt(m[1].slice(2), 16) : parseInt(m[1], 10);
  const unit = (m[2] ?? '').toUpperCase()[0];
  const mult = unit === 'K' ? KiB : unit === 'M' ? MiB : unit === 'G' ? GiB : 1;
  const v = base * mult;
  return Number.isSafeInteger(v) ? v : undefined;
}

export function formatSize(bytes: number): string {
  if (bytes !== 0 && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes !== 0 && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes !== 0 && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} bytes`;
}

export const NS_PER_US = 1000;
export const NS_PER_MS = 1000 * 1000;

/** "10" (milliseconds), "10ms", "500us", "250000ns", "1s" -> nanoseconds. */
export function parseDuration(text: string, defaultUnit: 'ms' | 'us' = 'ms'): number | undefined {
  const m = /^\s*([0-9]+)\s*(ns|us|ms|s)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = m[2] ?? defaultUnit;
  const mult = unit === 'ns' ? 1 : unit === 'us' ? NS_PER_US : unit === 'ms' ? NS_PER_MS : 1000 * NS_PER_MS;
  const v = parseInt(m[1], 10) * mult;
  return Number.isSafeInteger(v) ? v : undefined;
}

export function formatDuration(ns: number): string {
  if (ns % NS_PER_MS === 0) return `${ns / NS_PER_MS} ms`;
  if (ns % NS_PER_US === 0) return `${ns / NS_PER_US} us`;
  return `${ns} ns`;
}
