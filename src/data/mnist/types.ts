// What every MNIST source hands to preprocessing: raw bytes and labels plus honest provenance.

export const MNIST_PIXELS = 784;

export interface MnistSplitData {
  /** count × 784 pixel bytes 0..255, C order (row = image). */
  images: Uint8Array;
  /** count labels 0..9. */
  labels: Uint8Array;
  count: number;
}

export interface MnistFileRecord {
  name: string;
  /** Path read (dir/download) — absolute. */
  path: string;
  md5: string;
  /** Whether the MD5 equals the published one (false for e.g. a re-compressed or uncompressed copy). */
  md5_matches_known: boolean;
  url?: string;
}

export interface MnistProvenance {
  source: 'download' | 'dir' | 'package';
  /** True only for the 60,000-image MNIST training set; the report must never claim it otherwise. */
  full_mnist: boolean;
  /** Why full_mnist is false (or a note on how the data was obtained). */
  reason?: string;
  files?: MnistFileRecord[];
  package?: { name: string; version: string };
  train_images: number;
  test_images: number;
  /** Set when `source: auto` fell back: the one line printed, with the download failure. */
  fallback?: string;
}

export interface MnistData {
  train: MnistSplitData;
  /** Absent for the package source (it has one pool of 10,000 digits). */
  test?: MnistSplitData;
  provenance: MnistProvenance;
}
