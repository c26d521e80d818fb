/**
 * How the image result panel shows an occlusion grid (src/vision/explain.ts): the overlay's colours, the legend's
 * range and the sentence a screen reader hears. Pure functions (no DOM, no Node), shared by the webview and its
 * unit test.
 *
 * Colours follow the text explanations (src/ui/explanationDecorations.ts): blue where hiding the patch lowers the
 * label's probability (the patch speaks for the label), orange where hiding it raises it (against). Strength is
 * opacity, scaled to the largest |value| so the strongest cell is always clearly visible; the sign is carried by
 * more than hue (the legend's "+"/"−" ends, hatching of the "against" cells, and the text summary).
 */
import type { OcclusionGrid } from '../../vision/explain';
import { saliencyPerPixel } from '../../vision/explain';

/** Blue: hiding lowers P(label). The same hue as the text explanations' "for" marks. */
export const LOWERS_RGB = [30, 120, 220] as const;
/** Orange: hiding raises P(label). The text explanations' "against" hue. */
export const RAISES_RGB = [230, 120, 20] as const;
/** Opacity of the strongest cell: the input stays visible under the overlay. */
export const MAX_ALPHA = 0.85;
/** Values under this share of the largest |value| are left clear (numerical noise, not evidence). */
export const CLEAR_SHARE = 0.05;

/** One cell of the grid. */
export interface SaliencyCell {
  readonly row: number;
  readonly col: number;
  readonly value: number;
}

/** What the legend states: the most negative and most positive values and the bound the colours scale to. */
export interface SaliencyRange {
  /** Most negative cell value (0 if none is negative). */
  readonly min: number;
  /** Most positive cell value (0 if none is positive). */
  readonly max: number;
  /** max(|min|, |max|): the value drawn at full strength (never 0). */
  readonly bound: number;
}

export function saliencyRange(grid: Pick<OcclusionGrid, 'values'>): SaliencyRange {
  let min = 0;
  let max = 0;
  for (const row of grid.values) {
    for (const v of row) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max, bound: Math.max(-min, max, 1e-9) };
}

/** The cell with the largest value of `sign` (+1: hiding lowers P most; −1: hiding raises it most); ties: first in row-major order. */
export function extremeCell(grid: Pick<OcclusionGrid, 'values'>, sign: 1 | -1): SaliencyCell | undefined {
  let best: SaliencyCell | undefined;
  grid.values.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v * sign > 0 && (!best || v * sign > best.value * sign)) best = { row: r, col: c, value: v };
    }),
  );
  return best;
}

/**
 * RGBA (0–255) of one value, with `bound` as full strength. Opacity grows with the square root of the share of
 * `bound`: a patch worth a quarter of the strongest one is still half as opaque, not lost next to it.
 */
export function saliencyColor(value: number, bound: number): [number, number, number, number] {
  const share = Math.min(1, Math.abs(value) / bound);
  if (!(share >= CLEAR_SHARE)) return [0, 0, 0, 0];
  const [r, g, b] = value > 0 ? LOWERS_RGB : RAISES_RGB;
  return [r, g, b, Math.round(255 * MAX_ALPHA * Math.sqrt(share))];
}

/**
 * A grey veil laid over the whole input under the colours, so they show on black background and white ink alike
 * (a digit's input is both); hiding the overlay lifts it too.
 */
export const VEIL_RGBA = [128, 128, 128, 0.45] as const;

/**
 * The overlay at the model's input size, RGBA row-major (`width × height × 4`): each pixel coloured by the mean
 * of the cells covering it. Pixels of "raises" cells on every 4th diagonal are left clear, a hatching that tells
 * the sign apart without colour.
 */
export function overlayPixels(grid: OcclusionGrid): Uint8ClampedArray<ArrayBuffer> {
  const perPixel = saliencyPerPixel(grid);
  const { bound } = saliencyRange(grid);
  const out = new Uint8ClampedArray(grid.width * grid.height * 4);
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      const i = y * grid.width + x;
      const v = perPixel[i];
      if (v < 0 && (x + y) % 4 === 0) continue;
      out.set(saliencyColor(v, bound), i * 4);
    }
  }
  return out;
}

/** The input pixels a cell covers: [x0, x1) × [y0, y1). */
export function cellBox(grid: Pick<OcclusionGrid, 'patch' | 'stride'>, cell: Pick<SaliencyCell, 'row' | 'col'>): { x0: number; y0: number; x1: number; y1: number } {
  const x0 = cell.col * grid.stride;
  const y0 = cell.row * grid.stride;
  return { x0, y0, x1: x0 + grid.patch, y1: y0 + grid.patch };
}

/**
 * Which ninth of the input a cell's centre lies in, row-major: 0 = top left, 4 = centre, 8 = bottom right (an
 * index into `SaliencyStrings.regions`).
 */
export function cellRegion(grid: Pick<OcclusionGrid, 'patch' | 'stride' | 'width' | 'height'>, cell: Pick<SaliencyCell, 'row' | 'col'>): number {
  const b = cellBox(grid, cell);
  const third = (centre: number, size: number) => Math.min(2, Math.max(0, Math.floor((3 * centre) / size)));
  return third((b.y0 + b.y1) / 2, grid.height) * 3 + third((b.x0 + b.x1) / 2, grid.width);
}

/** A change of probability in percentage points with its sign: "+85.1", "−3.2", "0.0". */
export function signedPoints(value: number): string {
  const text = (Math.abs(value) * 100).toFixed(1);
  if (Number(text) === 0) return '0.0';
  return `${value > 0 ? '+' : '\u2212'}${text}`;
}

/** The sentences the summary is made of (localized by the extension); `{n}` placeholders as in `fill`. */
export interface SaliencySummaryStrings {
  /** Nine region names, row-major from top left ("the top-left part", …, "the centre", …). */
  readonly regions: readonly string[];
  /** {0} region, {1} label, {2} points lost, {3} x-range, {4} y-range, {5} the input's size ("28 × 28"). */
  readonly summaryLowers: string;
  /** {0} region, {1} label, {2} points gained. */
  readonly summaryRaises: string;
  /** {0} label, {1} the threshold in points. */
  readonly summaryFlat: string;
}

/** Fills `{0}`-style placeholders (the same rule as shared/format `fill`, without the no-break spaces). */
function fillPlain(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (all, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : all));
}

/** Sentences run together: a space after a Latin full stop, none after an ideographic one ("。"), as Chinese writes them. */
export function joinSentences(...sentences: readonly string[]): string {
  return sentences.filter((t) => t.length > 0).reduce((all, t) => (all === '' ? t : /[。！？]$/.test(all) ? all + t : `${all} ${t}`), '');
}

/** Smallest |change| (probability) the summary calls a change at all: half a percentage point. */
export const FLAT_BELOW = 0.005;

/** The cell the overlay outlines: the largest drop, if it is a change at all (the summary names the same one). */
export function outlinedCell(grid: Pick<OcclusionGrid, 'values'>): SaliencyCell | undefined {
  const top = extremeCell(grid, 1);
  return top && top.value >= FLAT_BELOW ? top : undefined;
}

/**
 * The overlay in words, for screen readers and for anyone who cannot tell the colours apart: where hiding the
 * input lowers P(label) most (with the pixels), and where hiding it raises P(label) most, if anywhere.
 */
export function saliencySummary(grid: OcclusionGrid, s: SaliencySummaryStrings): string {
  const top = outlinedCell(grid);
  const bottom = extremeCell(grid, -1);
  const parts: string[] = [];
  if (top) {
    const b = cellBox(grid, top);
    // No-break spaces: "28 × 28" never wraps apart.
    parts.push(fillPlain(s.summaryLowers, s.regions[cellRegion(grid, top)] ?? '', grid.label, (top.value * 100).toFixed(1), `${b.x0}–${b.x1 - 1}`, `${b.y0}–${b.y1 - 1}`, `${grid.width}\u00a0×\u00a0${grid.height}`));
  }
  if (bottom && -bottom.value >= FLAT_BELOW) {
    parts.push(fillPlain(s.summaryRaises, s.regions[cellRegion(grid, bottom)] ?? '', grid.label, (-bottom.value * 100).toFixed(1)));
  }
  if (parts.length === 0) parts.push(fillPlain(s.summaryFlat, grid.label, (FLAT_BELOW * 100).toFixed(1)));
  return joinSentences(...parts);
}
