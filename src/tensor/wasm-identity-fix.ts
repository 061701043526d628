// tfjs-backend-wasm's Identity kernel copies its input, and the engine runs Identity for every
// tensor it saves for the backward pass (engine.clone): ~30 copies of activations per training step
// of the MLP VAE. tfjs tensors are immutable — kernels only write into the outputs they allocate,
// and Variable.assign swaps the dataId — so, as the cpu backend does, Identity can share the data
// and count a reference instead (the wasm Reshape kernel does the same).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function sharingIdentity(stock: KernelConfig): KernelConfig {
  const stockFunc = stock.kernelFunc as unknown as (args: { inputs: { x: TensorInfo }; backend: unknown }) => TensorInfo;
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown }): TensorInfo => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stockFunc(args);
    (args.backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as KernelFunc };
}
