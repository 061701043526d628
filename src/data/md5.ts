import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function md5OfBuffer(buf: Uint8Array): string {
  return createHash('md5').update(buf).digest('hex');
}

/** Streams the file so a large archive is never held in memory just to be hashed. */
export async function md5OfFile(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
