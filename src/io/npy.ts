// NumPy .npy v1.0 read/write (little-endian, C order) so `numpy.load` opens every tensor artifact.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic.ts';

export type NpyData = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface NpyArray<T extends NpyData = NpyData> {
  data: T;
  shape: number[];
}

const DESCR: Record<string, string> = {
  Float32Array: '<f4',
  Float64Array: '<f8',
  Int32Array: '<i4',
  Uint8Array: '|u1',
};

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export class NpyFormatError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: not a valid .npy file: ${message}`);
    this.name = 'NpyFormatError';
  }
}

/** The .npy v1.0 preamble (magic, version, header padded to a multiple of 64 bytes) for C-order data. */
export function npyHeader(descr: string, shape: number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Header length (magic 6 + version 2 + len 2 + header + \n) must be a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1')]);
}

export function encodeNpy(array: NpyArray): Buffer {
  const { data, shape } = array;
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`shape [${shape}] holds ${count} values, data has ${data.length}`);
  const descr = DESCR[data.constructor.name];
  if (!descr) throw new Error(`unsupported array type ${data.constructor.name}`);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([npyHeader(descr, shape), body]);
}

export function writeNpy(path: string, array: NpyArray): void {
  writeFileAtomic(path, encodeNpy(array));
}

export function decodeNpy(buf: Buffer, file = '<buffer>'): NpyArray {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new NpyFormatError(file, 'bad magic');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + headerLen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyFormatError(file, `unreadable header ${header.trim()}`);
  if (fortran === 'True') throw new NpyFormatError(file, 'Fortran order is not supported');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const ctor = ({ '<f4': Float32Array, '<f8': Float64Array, '<i4': Int32Array, '|u1': Uint8Array, '<u1': Uint8Array } as const)[descr as '<f4'];
  if (!ctor) throw new NpyFormatError(file, `unsupported dtype ${descr}`);
  const bytes = count * ctor.BYTES_PER_ELEMENT;
  if (buf.length - offset !== bytes) {
    throw new NpyFormatError(file, `expected ${bytes} data bytes for shape [${shape}] ${descr}, found ${buf.length - offset}`);
  }
  // Copy into an aligned buffer: the header length does not guarantee alignment of `offset` in `buf`.
  const data = new ctor(count);
  new Uint8Array(data.buffer).set(buf.subarray(offset, offset + bytes));
  return { data, shape };
}

export function readNpy(path: string): NpyArray {
  return decodeNpy(readFileSync(path), path);
}

export function readNpyFloat32(path: string): NpyArray<Float32Array> {
  const a = readNpy(path);
  if (!(a.data instanceof Float32Array)) throw new NpyFormatError(path, `expected float32, found ${a.data.constructor.name}`);
  return a as NpyArray<Float32Array>;
}
