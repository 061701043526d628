// WebAssembly text compiles to a working module, and bad text fails with a typed error that names
// its source and carries wabt's message.
import { describe, expect, it } from '@jest/globals';
import { compileWat, heapModule, WatCompileError } from '../../../src/tensor/wat-compile.ts';

describe('compileWat', () => {
  it('compiles SIMD text into a module that runs', async () => {
    const module = await compileWat('sum4.wat', `(module
      (func (export "sum4") (param $x f32) (result f32)
        (local $v v128)
        (local.set $v (f32x4.add (f32x4.splat (local.get $x)) (f32x4.splat (f32.const 0.5))))
        (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))`);
    const { sum4 } = new WebAssembly.Instance(module).exports as { sum4: (x: number) => number };
    expect(sum4(1.25)).toBe(3.5);
  });

  it('rejects text that does not validate with a WatCompileError naming the source', async () => {
    const bad = compileWat('bad.wat', '(module (func (result i32) (f32.const 1)))');
    await expect(bad).rejects.toBeInstanceOf(WatCompileError);
    await expect(bad).rejects.toThrow(/^bad\.wat: invalid WebAssembly text: .*type mismatch/s);
  });
});

describe('heapModule', () => {
  it('refuses exports before load(), then instantiates once per memory against that memory', async () => {
    const store = heapModule('store.wat', `(module (import "env" "memory" (memory 1))
      (func (export "store") (param $at i32) (param $v f32) (f32.store (local.get $at) (local.get $v))))`, 'await load() first');
    const a = new WebAssembly.Memory({ initial: 1 });
    const b = new WebAssembly.Memory({ initial: 1 });
    expect(() => store.exportsFor(a)).toThrow('store.wat is not compiled yet: await load() first');
    await store.load();
    expect(store.exportsFor(a)).toBe(store.exportsFor(a));
    (store.exportsFor(b).store as (at: number, v: number) => void)(8, 2.5);
    expect(new Float32Array(b.buffer)[2]).toBe(2.5);
    expect(new Float32Array(a.buffer)[2]).toBe(0);
  });
});
