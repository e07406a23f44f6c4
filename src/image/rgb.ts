/** The pixels every model sees. */

/** An 8-bit RGB image, row-major, no alpha: `data.length === width * height * 3`. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}
