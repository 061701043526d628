// A minimal WebAssembly binary writer: enough to build a module of a few SIMD loops that imports a
// memory (src/tensor/heap-simd.ts builds its kernels with it). Instructions are byte arrays; the
// opcodes are those of the WebAssembly 2.0 spec (core + fixed-width SIMD). No new npm package for
// ~100 lines: wabt would need a package.json change and a 3 MB runtime for a WAT parser.

export type Code = number[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

export function uleb(n: number): Code {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uleb: ${n}`);
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

export function sleb(n: number): Code {
  if (!Number.isInteger(n)) throw new RangeError(`sleb: ${n}`);
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const name = (s: string): Code => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];
const simd = (opcode: number): Code => [0xfd, ...uleb(opcode)];
/** memarg: alignment exponent (0: no alignment promised) and constant offset. */
const memarg = (align: number, offset = 0): Code => [...uleb(align), ...uleb(offset)];

/** Instructions used by the kernels. */
export const ins = {
  get: (i: number): Code => [0x20, ...uleb(i)],
  set: (i: number): Code => [0x21, ...uleb(i)],
  tee: (i: number): Code => [0x22, ...uleb(i)],
  i32: (n: number): Code => [0x41, ...sleb(n)],
  f32: (x: number): Code => {
    const b = Buffer.alloc(4);
    b.writeFloatLE(x);
    return [0x43, ...b];
  },
  block: [0x02, 0x40] as Code,
  loop: [0x03, 0x40] as Code,
  end: [0x0b] as Code,
  br: (depth: number): Code => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Code => [0x0d, ...uleb(depth)],
  i32Add: [0x6a] as Code,
  i32Sub: [0x6b] as Code,
  i32Mul: [0x6c] as Code,
  i32And: [0x71] as Code,
  i32Shl: [0x74] as Code,
  i32GeU: [0x4f] as Code,
  f32Load: (offset = 0): Code => [0x2a, ...memarg(2, offset)],
  f32Store: (offset = 0): Code => [0x38, ...memarg(2, offset)],
  f32Abs: [0x8b] as Code,
  f32Sqrt: [0x91] as Code,
  f32Add: [0x92] as Code,
  f32Mul: [0x94] as Code,
  f32Div: [0x95] as Code,
  f32Max: [0x97] as Code,
  v128Load: (offset = 0): Code => [...simd(0x00), ...memarg(0, offset)],
  v128Store: (offset = 0): Code => [...simd(0x0b), ...memarg(0, offset)],
  /** Load one f32 and broadcast it to the 4 lanes. */
  v128Load32Splat: (offset = 0): Code => [...simd(0x09), ...memarg(2, offset)],
  i32Eqz: [0x45] as Code,
  if: [0x04, 0x40] as Code,
  else: [0x05] as Code,
  /** i8x16.shuffle picking f32 lanes: 0–3 from the first operand, 4–7 from the second. */
  f32x4Shuffle: (lanes: [number, number, number, number]): Code => [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])],
  f32x4Splat: simd(0x13),
  f32x4ExtractLane: (lane: number): Code => [...simd(0x1f), lane],
  f32x4Abs: simd(0xe0),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  /** Lane-wise IEEE maximum: NaN if either lane is NaN. */
  f32x4Max: simd(0xe9),
};

export interface FuncDef {
  name: string;
  params: ValType[];
  results: ValType[];
  /** Extra locals, numbered after the params. */
  locals: ValType[];
  body: Code[];
}

/** A module importing `env.memory` (any size, unshared) and exporting `funcs`. */
export function assembleModule(funcs: FuncDef[]): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]];
  const functions = funcs.map((_, i) => uleb(i));
  const exports = funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const codes = funcs.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions)),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ]);
}
