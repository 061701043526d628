// WebAssembly text (WAT) → a compiled WebAssembly.Module, with wabt (the WebAssembly Binary
// Toolkit, compiled to wasm: the reference text-format parser and validator). Our SIMD kernels
// (src/tensor/heap-simd.ts, src/tensor/heap-gemm.ts) are written as WAT inside their .ts modules,
// so they survive esbuild bundling (stages run as bundles) with no file to locate at runtime.
// wabt is loaded on first use only: processes that never pick the wasm backend do not pay for it.

/** The WAT did not parse or validate; `source` names the module, wabt's message says where. */
export class WatCompileError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: invalid WebAssembly text: ${message}`);
    this.name = 'WatCompileError';
  }
}

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabt: Promise<Wabt> | null = null;

/** Parse, validate and compile `text` (fixed-width SIMD enabled). `source` names it in errors. */
export async function compileWat(source: string, text: string): Promise<WebAssembly.Module> {
  wabt ??= import('wabt').then((m) => m.default());
  const parsed = await wabt;
  let bytes: Uint8Array<ArrayBuffer>;
  let module: ReturnType<Wabt['parseWat']> | null = null;
  try {
    module = parsed.parseWat(source, text, { simd: true });
    module.validate();
    // a fresh copy out of wabt's heap (wabt.js's OutputBuffer.toTypedArray)
    bytes = module.toBinary({}).buffer as Uint8Array<ArrayBuffer>;
  } catch (err) {
    throw new WatCompileError(source, (err as Error).message);
  } finally {
    module?.destroy();
  }
  // Synchronous on purpose: a ~1 KB module compiles in ~1 ms, while WebAssembly.compile() queued
  // behind V8's background tier-up of wabt's own 0.5 MB module and took 100–250 ms here.
  return new WebAssembly.Module(bytes);
}

/** A WAT module that imports `env.memory`: compiled once per process, instantiated once per memory. */
export interface HeapModule {
  /** Compile (once; later calls return the same promise's result). */
  load(): Promise<void>;
  /** Its exports bound to `memory`; throws until load() has finished. */
  exportsFor(memory: WebAssembly.Memory): WebAssembly.Exports;
}

export function heapModule(source: string, text: string, notLoadedHint: string): HeapModule {
  let compiling: Promise<WebAssembly.Module> | null = null;
  let compiled: WebAssembly.Module | null = null;
  const instances = new WeakMap<WebAssembly.Memory, WebAssembly.Exports>();
  return {
    async load() {
      compiling ??= compileWat(source, text);
      compiled = await compiling;
    },
    exportsFor(memory) {
      let exports = instances.get(memory);
      if (!exports) {
        if (!compiled) throw new Error(`${source} is not compiled yet: ${notLoadedHint}`);
        exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports;
        instances.set(memory, exports);
      }
      return exports;
    },
  };
}
