/** Pixel containers shared by the decoders and the preprocessing. No `vscode` import. */

/** 8-bit RGBA, row-major, no padding: `data.length === width * height * 4`. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** One channel of floats, row-major. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}
