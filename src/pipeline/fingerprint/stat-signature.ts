// The cheap "has this file changed?" check (size, mtime, inode), as git and DVC use it: equal
// signatures mean the cached fact derived from the file (a hash, a parsed plan) still holds.
import { statSync } from 'node:fs';

/** `size:mtimeMs:ino`, or null when the file does not exist. */
export function statSignature(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return null;
  }
}
