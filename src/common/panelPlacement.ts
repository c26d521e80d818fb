/**
 * Where a panel that opens beside the editor goes, so that the editor keeps about 80 columns (#12 §4). The
 * decision is pure (no `vscode` import) and tested with plain Node; src/ui/panelHost.ts measures the editor
 * groups (`vscode.getEditorLayout`) and carries it out.
 */

/** The editor should keep at least this many columns of text next to a result panel. */
export const EDITOR_MIN_COLUMNS = 80;
/** Line numbers, folding and glyph margins, and the scroll bar, in characters. */
const GUTTER_COLUMNS = 8;
/** A monospace character is about 0.6 em wide (DejaVu Sans Mono 0.602, Menlo 0.602, Consolas 0.55). */
const CHAR_WIDTH_EM = 0.6;

/** One editor group as `vscode.getEditorLayout` describes it: `size` along its parent's orientation, in pixels. */
export interface GroupLayout {
  readonly size?: number;
  readonly groups?: readonly GroupLayout[];
}

export interface EditorLayout {
  /** 0: the top-level groups sit side by side (sizes are widths); 1: stacked (sizes are heights). */
  readonly orientation: number;
  readonly groups: readonly GroupLayout[];
}

/**
 * Widths of the editor groups in pixels, in the order VS Code numbers them as view columns (the grid's leaves
 * depth first, which is `GroupsOrder.GRID_APPEARANCE`). `undefined` where a width cannot be known.
 */
export function groupWidths(layout: EditorLayout, totalWidth?: number): (number | undefined)[] {
  const widths: (number | undefined)[] = [];
  const walk = (groups: readonly GroupLayout[], horizontal: boolean, parentWidth: number | undefined): void => {
    for (const g of groups) {
      const width = horizontal ? g.size : parentWidth;
      if (g.groups && g.groups.length > 0) walk(g.groups, !horizontal, width);
      else widths.push(width);
    }
  };
  walk(layout.groups, layout.orientation === 0, totalWidth);
  return widths;
}

export type Placement =
  /** Into this existing column (the one results column, or the column right of the editor). */
  | { readonly kind: 'column'; readonly column: number }
  /** A new group right of the editor: it is wide enough to be halved. */
  | { readonly kind: 'beside' }
  /** A new group below the editor: halving it would leave fewer than about 80 columns. */
  | { readonly kind: 'below' };

export interface PlacementInput {
  /** View column of the active editor group (1-based). */
  readonly activeColumn: number;
  /** Widths of the groups in view-column order (`groupWidths`); `undefined` when the layout could not be read. */
  readonly widths: readonly (number | undefined)[] | undefined;
  /** Columns where a Model Lab result panel is open now. */
  readonly resultColumns: readonly number[];
  /** The editor's font size in pixels (`editor.fontSize`). */
  readonly fontSize: number;
}

/** Pixels an editor needs to show `EDITOR_MIN_COLUMNS` columns at `fontSize`. */
export function minEditorWidth(fontSize: number): number {
  return Math.round((EDITOR_MIN_COLUMNS + GUTTER_COLUMNS) * CHAR_WIDTH_EM * fontSize);
}

/**
 * 1. A result panel is already open in another group: reuse that column, so results never take a second column.
 * 2. A group already exists right of the editor: open there (nothing gets narrower).
 * 3. Otherwise a new group is needed: beside if the editor keeps enough width after the split, else below it.
 * Without a layout to measure, beside (what VS Code does for `ViewColumn.Beside`).
 */
export function placeResultPanel(input: PlacementInput): Placement {
  const other = input.resultColumns.find((c) => c !== input.activeColumn);
  if (other !== undefined) return { kind: 'column', column: other };
  const widths = input.widths;
  if (!widths) return { kind: 'beside' };
  if (input.activeColumn < widths.length) return { kind: 'column', column: input.activeColumn + 1 };
  const width = widths[input.activeColumn - 1];
  if (width === undefined) return { kind: 'beside' };
  // Splitting gives each side half (less the sash); the editor must keep its 80 columns.
  return width / 2 >= minEditorWidth(input.fontSize) ? { kind: 'beside' } : { kind: 'below' };
}
