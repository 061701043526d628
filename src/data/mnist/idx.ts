// The idx format of the MNIST files: a big-endian header (magic 0x00000803 images / 0x00000801
// labels, then one uint32 per dimension) followed by exactly prod(dims) unsigned bytes.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { IdxFormatError } from '../errors.ts';

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

export interface IdxArray {
  dims: number[];
  /** prod(dims) bytes, C order. */
  data: Uint8Array;
}

export function parseIdx(buf: Uint8Array, file: string, expectedMagic: number): IdxArray {
  const rank = expectedMagic === IDX_IMAGES_MAGIC ? 3 : 1;
  const headerBytes = 4 + 4 * rank;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length >= 4 && view.getUint32(0, false) !== expectedMagic) {
    throw new IdxFormatError(file, 'magic number', expectedMagic, view.getUint32(0, false));
  }
  if (buf.length < headerBytes) throw new IdxFormatError(file, 'header length', `${headerBytes} bytes`, `${buf.length} bytes`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  if (rank === 3 && (dims[1] !== 28 || dims[2] !== 28)) {
    throw new IdxFormatError(file, 'image dimensions', '28×28', `${dims[1]}×${dims[2]}`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const found = buf.length - headerBytes;
  if (found !== count) {
    throw new IdxFormatError(file, `data bytes for dims [${dims.join(', ')}]`, count, found);
  }
  return { dims, data: buf.slice(headerBytes) };
}

/** Gunzips when the buffer starts with the gzip magic, so `.gz` and uncompressed files both work. */
export function maybeGunzip(buf: Buffer, file: string): Buffer {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      return gunzipSync(buf);
    } catch (err) {
      throw new IdxFormatError(file, 'gzip stream', 'a complete gzip file', `a broken one (${(err as Error).message})`);
    }
  }
  return buf;
}

export function readIdxFile(file: string, expectedMagic: number): IdxArray {
  return parseIdx(maybeGunzip(readFileSync(file), file), file, expectedMagic);
}

/** Serialises an idx array (used for test fixtures and for anyone writing MNIST-like files). */
export function encodeIdx(magic: number, dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}
