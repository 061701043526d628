// Fetch one file from a list of mirrors: each URL tried with retries and exponential backoff,
// the body streamed to a temp sibling while its MD5 is computed, and renamed to the final name
// only when the byte count and the MD5 are right — so a partial download is never mistaken for
// a file. Node's global fetch (undici); no library needed beyond node:crypto and node:fs.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempSibling } from '../io/atomic.ts';
import { ChecksumError, DownloadAttemptError, DownloadError } from './errors.ts';

export interface DownloadProgress {
  url: string;
  received: number;
  /** From Content-Length; null when the server did not say. */
  total: number | null;
}

export interface DownloadOptions {
  /** Expected MD5 (hex) of the body; a mismatch fails the attempt. */
  md5?: string;
  /** Abort when no byte (or no response) arrives for this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Extra attempts per URL after the first (HTTP 4xx is not retried). Default 2. */
  retries?: number;
  /** First backoff delay; doubles after each failed attempt on the same URL. Default 500 ms. */
  backoffMs?: number;
  onProgress?: (p: DownloadProgress) => void;
  /** Called with one line per failed attempt (for the stage log). */
  onAttemptFailed?: (line: string) => void;
}

export interface DownloadResult {
  url: string;
  md5: string;
  bytes: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function downloadVerified(urls: readonly string[], dest: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 500;
  const failures: string[] = [];
  for (const url of urls) {
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        return await fetchOnce(url, dest, opts);
      } catch (err) {
        const line = `${url} (attempt ${attempt + 1}): ${describe(err)}`;
        failures.push(line);
        opts.onAttemptFailed?.(line);
        if (err instanceof DownloadAttemptError && err.permanent) break;
        if (attempt < retries) await sleep(backoffMs * 2 ** attempt);
      }
    }
  }
  throw new DownloadError(dest, failures);
}

async function fetchOnce(url: string, dest: string, opts: DownloadOptions): Promise<DownloadResult> {
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${idleMs} ms (timeout)`)), idleMs);
  };
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = tempSibling(dest);
  const handle = await open(tmp, 'w');
  let closed = false;
  try {
    arm();
    // identity: a server that gzip-encodes the .gz would otherwise be decoded by fetch and fail the MD5.
    const res = await fetch(url, { signal: controller.signal, headers: { 'accept-encoding': 'identity' } });
    if (!res.ok) {
      throw new DownloadAttemptError(url, `HTTP ${res.status} ${res.statusText}`, res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
    }
    if (!res.body) throw new DownloadAttemptError(url, 'empty response body', false);
    const lengthHeader = res.headers.get('content-length');
    const total = lengthHeader === null ? null : Number(lengthHeader);
    const hash = createHash('md5');
    let received = 0;
    arm();
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      arm();
      hash.update(chunk);
      await handle.write(chunk);
      received += chunk.length;
      opts.onProgress?.({ url, received, total });
    }
    clearTimeout(timer);
    if (total !== null && received !== total) {
      throw new DownloadAttemptError(url, `truncated body: expected ${total} bytes, received ${received}`, false);
    }
    const md5 = hash.digest('hex');
    if (opts.md5 && md5 !== opts.md5) throw new ChecksumError(url, opts.md5, md5);
    await handle.close();
    closed = true;
    renameSync(tmp, dest);
    return { url, md5, bytes: received };
  } catch (err) {
    // An abort surfaces as the abort reason or as a generic AbortError; report the reason.
    if (controller.signal.aborted && !(err instanceof DownloadAttemptError)) {
      throw new DownloadAttemptError(url, describe(controller.signal.reason), false, err);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    if (!closed) await handle.close().catch(() => undefined);
    rmSync(tmp, { force: true });
  }
}

/** One line: the message plus the low-level cause undici hides in `cause` (ENOTFOUND, other side closed, …). */
function describe(err: unknown): string {
  // Duck-typed, not instanceof: undici's errors may come from another realm (e.g. under jest's vm).
  const e = asError(err);
  if (!e) return String(err);
  const cause = asError(e.cause);
  const codeValue = cause?.code === undefined ? '' : String(cause.code);
  const code = codeValue && !cause!.message.includes(codeValue) ? ` ${codeValue}` : '';
  const base = err instanceof DownloadAttemptError || err instanceof ChecksumError ? e.message.replace(/^\S+: /, '') : e.message;
  return cause ? `${base} (${cause.message}${code})` : base;
}

function asError(x: unknown): { message: string; cause?: unknown; code?: unknown } | undefined {
  return typeof x === 'object' && x !== null && typeof (x as { message?: unknown }).message === 'string'
    ? (x as { message: string; cause?: unknown; code?: unknown })
    : undefined;
}
