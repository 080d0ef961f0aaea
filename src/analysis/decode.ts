import sharp from 'sharp';

/** A decoded image as OpenCV's imread(IMREAD_COLOR) would see it, but in RGB order. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** @default 100 million pixels: a 10000×10000 image, about 300 MB decoded. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export class DecodeError extends Error {
  constructor(
    readonly code: 'E_DECODE' | 'E_TOO_MANY_PIXELS' | 'E_EMPTY_FILE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DecodeOptions {
  /** Reject images with more pixels than this (decompression bombs). @default DEFAULT_MAX_PIXELS */
  maxPixels?: number;
}

/**
 * Decodes JPEG, PNG, WebP, TIFF or GIF (first frame) to 8-bit RGB the way cv2.imread does:
 * EXIF orientation applied, the embedded ICC profile ignored, alpha dropped without compositing,
 * grey expanded to three channels, 16-bit reduced to 8.
 */
export async function decodeImage(input: Buffer, name: string, options: DecodeOptions = {}): Promise<RgbImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (input.length === 0) {
    throw new DecodeError('E_EMPTY_FILE', `${name} is empty (0 bytes): nothing to decode.`);
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new DecodeError('E_DECODE', `${name} is not an image that can be read (JPEG, PNG, WebP, TIFF or GIF): ${errorText(cause)}.`, { cause });
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels) {
    throw new DecodeError(
      'E_TOO_MANY_PIXELS',
      `${name} is ${meta.width}×${meta.height} (${(pixels / 1e6).toFixed(0)} megapixels), over the limit of ${(maxPixels / 1e6).toFixed(0)} megapixels; raise --max-pixels to analyse it.`,
    );
  }
  try {
    const { data, info } = await sharp(input, {
      autoOrient: true,
      ignoreIcc: true,
      failOn: 'error',
      limitInputPixels: maxPixels,
      pages: 1,
    })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (cause) {
    throw new DecodeError('E_DECODE', `${name} could not be decoded: ${errorText(cause)}.`, { cause });
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

/**
 * OpenCV's 8-bit RGB→gray (cvtColor, COLOR_RGB2GRAY): fixed point with 14 fractional bits,
 * Y = (4899 R + 9617 G + 1868 B + 8192) >> 14.
 */
export function rgbToGray(image: RgbImage): Uint8Array {
  const { data, width, height } = image;
  const gray = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < gray.length; i++, j += 3) {
    gray[i] = (data[j]! * 4899 + data[j + 1]! * 9617 + data[j + 2]! * 1868 + 8192) >> 14;
  }
  return gray;
}
