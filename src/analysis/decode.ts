import sharp from 'sharp';
import { DEFAULT_MAX_PIXELS } from './limits.js';

/** A decoded image as OpenCV's imread(IMREAD_COLOR) would see it, but in RGB order. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

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
 * Decodes JPEG, PNG, WebP, TIFF or GIF (first frame) to 8-bit RGB the way cv2.imread (OpenCV 4.6)
 * does: EXIF orientation applied (but not for WebP, where OpenCV ignores it), the embedded ICC
 * profile ignored, alpha dropped without compositing, grey expanded to three channels, 16-bit
 * reduced to 8 (high byte; RGB TIFFs rounded), CMYK converted by OpenCV's and libtiff's formulas.
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
    const source = sharp(input, {
      autoOrient: meta.format !== 'webp',
      ignoreIcc: true,
      failOn: 'error',
      limitInputPixels: maxPixels,
      pages: 1,
    });
    // sharp would colour-manage CMYK to sRGB; OpenCV converts the inks with fixed formulas.
    const cmyk = meta.space === 'cmyk' && meta.depth === 'uchar' && meta.channels === 4;
    if (cmyk && (meta.format === 'jpeg' || meta.format === 'tiff')) {
      const { data, info } = await source
        .pipelineColourspace('cmyk')
        .toColourspace('cmyk')
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      const rgb = meta.format === 'jpeg' ? cmykJpegToRgb(data) : cmykTiffToRgb(data);
      return { data: rgb, width: info.width, height: info.height };
    }
    if (meta.format === 'tiff' && meta.space === 'rgb16') {
      const { data, info } = await source
        .removeAlpha()
        .toColourspace('rgb16')
        .raw({ depth: 'ushort' })
        .toBuffer({ resolveWithObject: true });
      // Copied, as a Uint16Array view would need an even byte offset.
      const samples = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      return { data: rgb16TiffToRgb(samples), width: info.width, height: info.height };
    }
    const { data, info } = await source
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (cause) {
    // libvips' own words vary (its error buffer is shared between threads, so a worker may get
    // "Unknown error"): lead with what it means, then add them.
    throw new DecodeError('E_DECODE', `${name} could not be decoded: the image data is truncated or corrupt (${errorText(cause)}).`, { cause });
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

/**
 * cv2.imread's CMYK JPEG conversion (icvCvt_CMYK2BGR_8u_C4C3R), no colour management. OpenCV
 * reads the samples as stored, Adobe-style inverted (s = 255 − ink), and computes
 * R = s_K − ((255 − s_C)·s_K >> 8). libvips (sharp) hands over ink amounts (C, M, Y, K; 0 = no ink),
 * inverting the stored samples whether or not the file has an Adobe marker, so here
 * R = (255 − K) − (C·(255 − K) >> 8), and likewise G from M, B from Y.
 */
export function cmykJpegToRgb(cmyk: Uint8Array): Uint8Array {
  return mapCmyk(cmyk, (ink, white) => white - ((ink * white) >> 8));
}

/**
 * libtiff's CMYK→RGB (TIFFReadRGBA*, which OpenCV uses for separated TIFFs), on ink amounts:
 * R = ⌊(255 − K)·(255 − C) / 255⌋, and likewise G from M, B from Y.
 */
export function cmykTiffToRgb(cmyk: Uint8Array): Uint8Array {
  return mapCmyk(cmyk, (ink, white) => Math.floor((white * (255 - ink)) / 255));
}

function mapCmyk(cmyk: Uint8Array, channel: (ink: number, white: number) => number): Uint8Array {
  const rgb = new Uint8Array((cmyk.length / 4) * 3);
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    const white = 255 - cmyk[i + 3]!;
    rgb[j] = channel(cmyk[i]!, white);
    rgb[j + 1] = channel(cmyk[i + 1]!, white);
    rgb[j + 2] = channel(cmyk[i + 2]!, white);
  }
  return rgb;
}

/**
 * OpenCV reads 16-bit RGB(A) TIFFs through libtiff's RGBA interface, which rounds (v / 257), where
 * its PNG and grey TIFF readers (and sharp) keep the high byte.
 */
export function rgb16TiffToRgb(rgb16: Uint16Array): Uint8Array {
  const rgb = new Uint8Array(rgb16.length);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round(rgb16[i]! / 257);
  return rgb;
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
