// Centre square crop then resize (the usual CelebA 64×64 recipe: 178×218 → 178×178 → 64×64),
// with sharp (libvips; its default lanczos3 kernel, which antialiases the 2.8× downscale).
import sharp from 'sharp';
import { DataSourceError } from '../errors.ts';

export interface CropBox {
  left: number;
  top: number;
  side: number;
}

/** The centred square of side min(w, h); for aligned CelebA (178×218) that is top = 20. */
export function centreSquare(width: number, height: number): CropBox {
  const side = Math.min(width, height);
  return { left: Math.floor((width - side) / 2), top: Math.floor((height - side) / 2), side };
}

/** RGB bytes, size × size × 3, row-major (HWC). */
export async function centreCropResize(image: Buffer, size: number, name: string): Promise<Uint8Array> {
  try {
    const { width, height } = await sharp(image).metadata();
    if (!width || !height) throw new Error('no dimensions');
    const box = centreSquare(width, height);
    const { data, info } = await sharp(image)
      .extract({ left: box.left, top: box.top, width: box.side, height: box.side })
      .resize(size, size)
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== size * size * 3) throw new Error(`got ${info.width}×${info.height}×${info.channels}`);
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (err) {
    throw new DataSourceError(name, `expected a decodable image to crop and resize to ${size}×${size}×3: ${(err as Error).message}`, { cause: err });
  }
}
