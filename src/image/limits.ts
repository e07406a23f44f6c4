/** The default pixel limit, apart from the decoder so that settings schemas can name it without loading libvips. */

/**
 * 16,777,216 = 4096x4096: far above what a vision encoder takes (the paper's models see 448-1344
 * px), and 48 MiB once decoded to RGB; a 10000x10000 image (300 MB decoded) is refused from its
 * header before any pixel is decoded.
 */
export const DEFAULT_MAX_IMAGE_PIXELS = 4096 * 4096;
