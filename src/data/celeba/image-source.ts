// The CelebA images as a sorted list of names plus a reader: a directory of JPEGs or a zip of
// them (yauzl: streams one entry at a time, so the 1.4 GB archive is never held in memory).
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import yauzl from 'yauzl';
import { DataSourceError } from '../errors.ts';

export interface ImageSource {
  kind: 'dir' | 'zip';
  path: string;
  /** Image names (relative to the dir, or zip entry names), sorted by file name. */
  names: string[];
  read(name: string): Promise<Buffer>;
  close(): void;
}

const IMAGE = /\.(jpe?g|png)$/i;

export async function openImageSource(path: string): Promise<ImageSource> {
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (err) {
    throw new DataSourceError(abs, 'expected a directory or .zip of img_align_celeba images, found nothing there', { cause: err });
  }
  return isDir ? openDir(abs) : openZip(abs);
}

function byFileName(a: string, b: string): number {
  const x = basename(a);
  const y = basename(b);
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function openDir(dir: string): ImageSource {
  const names = readdirSync(dir).filter((n) => IMAGE.test(n)).sort(byFileName);
  return { kind: 'dir', path: dir, names, read: (name) => readFile(join(dir, name)), close: () => undefined };
}

async function openZip(file: string): Promise<ImageSource> {
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? fail(new DataSourceError(file, `not a readable zip: ${err.message}`, { cause: err })) : ok(z))),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((ok, fail) => {
    zip.on('entry', (e: yauzl.Entry) => {
      // skip directories and macOS resource forks (__MACOSX/._000001.jpg)
      if (IMAGE.test(e.fileName) && !e.fileName.endsWith('/') && !basename(e.fileName).startsWith('._')) entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on('end', ok);
    zip.on('error', fail);
    zip.readEntry();
  });
  const read = (name: string) =>
    new Promise<Buffer>((ok, fail) => {
      const entry = entries.get(name);
      if (!entry) return fail(new DataSourceError(file, `no entry ${name}`));
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(new DataSourceError(`${file}:${name}`, `cannot read entry: ${err.message}`, { cause: err }));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => ok(Buffer.concat(chunks)));
        stream.on('error', (e) => fail(new DataSourceError(`${file}:${name}`, `corrupt entry: ${e.message}`, { cause: e })));
      });
    });
  return { kind: 'zip', path: file, names: [...entries.keys()].sort(byFileName), read, close: () => zip.close() };
}
