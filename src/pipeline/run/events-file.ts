// Append and tail the JSON-lines events file of a job.
import { appendFileSync, closeSync, openSync, readSync } from 'node:fs';
import type { JobEvent } from './job-spec.ts';

export function appendEvent(path: string, event: JobEvent): void {
  appendFileSync(path, JSON.stringify(event) + '\n');
}

/** Reads whatever was appended since the last call; tolerant of a half-written last line. */
export class EventsReader {
  private offset = 0;
  private partial = '';

  constructor(private readonly path: string) {}

  readNew(): JobEvent[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return [];
    }
    const chunks: Buffer[] = [];
    try {
      const buf = Buffer.allocUnsafe(64 * 1024);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, this.offset);
        if (n === 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
        this.offset += n;
      }
    } finally {
      closeSync(fd);
    }
    const text = this.partial + Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const events: JobEvent[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as JobEvent);
      } catch {
        // A malformed line (e.g. a cmd stage writing by hand) is ignored, not fatal.
      }
    }
    return events;
  }
}
