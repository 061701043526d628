// The four MNIST idx files, their known MD5s, and the mirrors torchvision uses, tried in order.

export type MnistSplit = 'train' | 'test';
export type MnistKind = 'images' | 'labels';

export interface MnistFile {
  name: string;
  split: MnistSplit;
  kind: MnistKind;
  md5: string;
}

export const MNIST_FILES: readonly MnistFile[] = [
  { name: 'train-images-idx3-ubyte.gz', split: 'train', kind: 'images', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
  { name: 'train-labels-idx1-ubyte.gz', split: 'train', kind: 'labels', md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
  { name: 't10k-images-idx3-ubyte.gz', split: 'test', kind: 'images', md5: '9fb629c4189551a2d022fa330f9573f3' },
  { name: 't10k-labels-idx1-ubyte.gz', split: 'test', kind: 'labels', md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
];

// yann.lecun.com has answered 403 lately; it stays first because it is the canonical source.
export const MNIST_MIRRORS: readonly string[] = [
  'https://yann.lecun.com/exdb/mnist/',
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
];

export function mnistFile(split: MnistSplit, kind: MnistKind): MnistFile {
  const f = MNIST_FILES.find((x) => x.split === split && x.kind === kind);
  if (!f) throw new Error(`no MNIST file for ${split}/${kind}`);
  return f;
}
