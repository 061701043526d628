// Make sure data/mnist holds the four published idx .gz files: reuse a copy whose MD5 is right,
// otherwise download it from the mirrors in order. Returns the URL each file came from.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { downloadVerified, type DownloadOptions } from '../download.ts';
import { md5OfFile } from '../md5.ts';
import { MNIST_FILES, MNIST_MIRRORS, type MnistFile } from './files.ts';

export interface FetchMnistOptions extends Omit<DownloadOptions, 'md5' | 'onProgress'> {
  mirrors?: readonly string[];
  /** Override the published MD5s (tests serve generated fixtures). */
  md5s?: Record<string, string>;
  /** Overall fraction in [0, 1] and a short note. */
  onProgress?: (fraction: number, note: string) => void;
}

export interface FetchedMnist {
  dir: string;
  /** file name → URL it was downloaded from, or 'cached' when a verified copy was already there. */
  urls: Record<string, string>;
  /** file name → expected MD5 used. */
  md5s: Record<string, string>;
}

export async function fetchMnist(dataDir: string, opts: FetchMnistOptions = {}): Promise<FetchedMnist> {
  const mirrors = opts.mirrors ?? MNIST_MIRRORS;
  const urls: Record<string, string> = {};
  const md5s: Record<string, string> = {};
  const files: readonly MnistFile[] = MNIST_FILES;
  for (const [i, f] of files.entries()) {
    const md5 = opts.md5s?.[f.name] ?? f.md5;
    md5s[f.name] = md5;
    const dest = join(dataDir, f.name);
    if (existsSync(dest) && (await md5OfFile(dest)) === md5) {
      urls[f.name] = 'cached';
      opts.onProgress?.((i + 1) / files.length, `${f.name} (verified copy)`);
      continue;
    }
    const result = await downloadVerified(
      mirrors.map((m) => new URL(f.name, m.endsWith('/') ? m : `${m}/`).href),
      dest,
      {
        ...opts,
        md5,
        onProgress: (p) => {
          const within = p.total ? Math.min(1, p.received / p.total) : 0;
          opts.onProgress?.((i + within) / files.length, `${f.name} ${(p.received / 1e6).toFixed(1)} MB`);
        },
      },
    );
    urls[f.name] = result.url;
  }
  return { dir: dataDir, urls, md5s };
}
