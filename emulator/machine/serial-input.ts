// Host input for UART0 (`-serial stdio` / `-nographic`, as QEMU): where the board's receive side
// of the PL011 gets its characters, and when (virt-board.ts feeds them; the timing rule is there).
//
// Two kinds of source:
//   - a blocking source (a file or a pipe on stdin): next() waits for the host when it has nothing
//     buffered, so the bytes the guest sees, and the virtual times at which it sees them, depend
//     only on the input's bytes and the guest — never on how fast or in which chunks the host
//     wrote them. The run is reproducible.
//   - a live source (a terminal): next() never waits; keys arrive when they are typed, so such a
//     run is interactive rather than reproducible. When every CPU sleeps with nothing else to
//     wake it, the board reports that it waits for the host (VirtBoard.waitingForHost).
import { readSync } from 'node:fs';

export interface SerialSource {
  /** The next input byte; undefined when none is available now (live sources only); null at end of input. */
  next(): number | null | undefined;
  /** Whether next() would return a byte or block for one (false: nothing until the host sends more, or the end). */
  pending(): boolean;
  /** A live (interactive) source: bytes can arrive later from outside the run. */
  readonly live: boolean;
}

/** Bytes given in advance (tests, tools): a blocking source that never blocks. */
export class BytesSource implements SerialSource {
  private at = 0;
  readonly live = false;
  constructor(private readonly bytes: Uint8Array) {}
  next(): number | null { return this.at < this.bytes.length ? this.bytes[this.at++] : null; }
  pending(): boolean { return this.at < this.bytes.length; }
}

/** For a 1 ms pause between retries on a non-blocking descriptor (Atomics.wait needs a shared Int32Array). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** A file descriptor read with blocking reads (stdin redirected from a file or a pipe). */
export class FdSource implements SerialSource {
  private readonly buf = Buffer.alloc(4096);
  private at = 0;
  private len = 0;
  private eof = false;
  readonly live = false;
  constructor(private readonly fd: number) {}
  next(): number | null {
    if (this.at === this.len) {
      if (this.eof) return null;
      this.at = 0;
      this.len = this.read();
      if (this.len === 0) { this.eof = true; return null; }
    }
    return this.buf[this.at++];
  }
  pending(): boolean { return this.at < this.len || !this.eof; }
  private read(): number {
    for (;;) {
      try {
        return readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { Atomics.wait(PAUSE, 0, 0, 1); continue; } // a non-blocking descriptor: wait for data like a blocking one
        if (code === 'EOF' || code === 'EBADF' || code === 'ENXIO' || code === 'EINVAL') return 0; // no usable input: end of input
        throw e;
      }
    }
  }
}

/** A terminal: bytes are pushed by the caller as they are typed (the CLI's stdin 'data' events). */
export class LiveSource implements SerialSource {
  private readonly queue: number[] = [];
  private head = 0;
  readonly live = true;
  push(bytes: Uint8Array): void { for (const b of bytes) this.queue.push(b); }
  next(): number | undefined {
    if (this.head === this.queue.length) return undefined;
    const b = this.queue[this.head++];
    if (this.head === this.queue.length) { this.queue.length = 0; this.head = 0; }
    return b;
  }
  pending(): boolean { return this.head < this.queue.length; }
}

/**
 * The terminal on stdin in raw mode, feeding `src` as keys are typed: Ctrl-A x quits and Ctrl-A
 * Ctrl-A sends Ctrl-A, as QEMU's -nographic. `changed` runs after each chunk (to wake a run that
 * waits for the host). detach() restores the terminal.
 */
export function attachTerminal(src: LiveSource, changed: () => void): { readonly quit: boolean; detach(): void } {
  const stdin = process.stdin;
  const state = { quit: false, escape: false };
  const onData = (d: Buffer): void => {
    for (const b of d) {
      if (state.escape) {
        state.escape = false;
        if (b === 0x78) { state.quit = true; continue; } // Ctrl-A x
        if (b !== 0x01) src.push(Uint8Array.of(0x01));
      } else if (b === 0x01) { state.escape = true; continue; }
      src.push(Uint8Array.of(b));
    }
    changed();
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  return {
    get quit() { return state.quit; },
    detach() { stdin.off('data', onData); stdin.setRawMode(false); stdin.pause(); },
  };
}
