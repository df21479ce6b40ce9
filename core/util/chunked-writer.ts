/**
 * Writes many small strings to a stream in ~64 KiB chunks, waiting for 'drain' when the stream
 * is full, so a 180,000-feature export streams at disk speed in bounded memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

const CHUNK_CHARS = 1 << 16;

export class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly out: Writable) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
