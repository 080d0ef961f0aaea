/** Limits the analysis applies, in a module of their own: the CLI reads them without loading sharp. */

/** Images with more pixels are refused (decompression bombs): 10000×10000, about 300 MB decoded. */
export const DEFAULT_MAX_PIXELS = 100_000_000;
