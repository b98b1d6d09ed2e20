// Domain consoles. Each domain's console (its vUART and Xen's console_io hypercall) is its own
// byte stream. The hypervisor keeps the board's UART0 for itself and, like Xen's "(d1)" prefix,
// prints every domain's output there line by line, prefixed with the domain's name — so
// `hvlab run system.hvsys` shows all consoles on stdout. Listeners (the debug adapter, tests)
// get each stream unprefixed.
export type ConsoleListener = (domain: string, bytes: Uint8Array) => void;

export class ConsoleMux {
  private readonly partial = new Map<string, number[]>();
  readonly listeners: ConsoleListener[] = [];

  /** `emit` writes one byte to the hypervisor's UART (UART0's data register). */
  constructor(private readonly emit: (byte: number) => void, private readonly prefix: boolean) {}

  /** Bytes a domain wrote to its console. */
  write(domain: string, bytes: Uint8Array): void {
    for (const l of this.listeners) l(domain, bytes);
    let line = this.partial.get(domain);
    if (!line) { line = []; this.partial.set(domain, line); }
    for (const b of bytes) {
      line.push(b);
      if (b === 10) this.flushLine(domain, line);
    }
  }

  /** A message of the hypervisor's own (one line). */
  log(message: string): void {
    this.put(`(hvlab) ${message}\n`);
  }

  /** Prints what is left of unfinished lines (at exit). */
  flush(): void {
    for (const [d, line] of this.partial) if (line.length) { line.push(10); this.flushLine(d, line); }
  }

  private flushLine(domain: string, line: number[]): void {
    if (this.prefix) this.put(`${domain}| `);
    for (const b of line) this.emit(b);
    line.length = 0;
  }

  private put(s: string): void {
    for (const b of Buffer.from(s, 'utf8')) this.emit(b);
  }
}

/** A byte sink that starts every line with `prefix` (a passed-through UART's own output stream). */
export function linePrefixer(prefix: string, emit: (byte: number) => void): (byte: number) => void {
  let atStart = true;
  const p = Buffer.from(prefix, 'utf8');
  return (b) => {
    if (atStart) for (const x of p) emit(x);
    emit(b);
    atStart = b === 10;
  };
}
