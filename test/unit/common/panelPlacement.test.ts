import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupWidths, minEditorWidth, placeResultPanel } from '../../../src/common/panelPlacement';

test('group widths follow view-column order through nested layouts', () => {
  // One group: the editor part's width.
  assert.deepEqual(groupWidths({ orientation: 0, groups: [{ size: 1100 }] }), [1100]);
  // [1 | [2 over 3]]: 2 and 3 share the right column's width.
  assert.deepEqual(groupWidths({ orientation: 0, groups: [{ size: 700 }, { size: 400, groups: [{ size: 300 }, { size: 500 }] }] }), [700, 400, 400]);
  // Stacked at the top level: the sizes are heights, the widths unknown without the total.
  assert.deepEqual(groupWidths({ orientation: 1, groups: [{ size: 300 }, { size: 500 }] }), [undefined, undefined]);
  assert.deepEqual(groupWidths({ orientation: 1, groups: [{ size: 300 }, { size: 500 }] }, 1200), [1200, 1200]);
});

test('80 columns at 14 px need about 740 px', () => {
  assert.equal(minEditorWidth(14), 739);
  assert.ok(minEditorWidth(12) < minEditorWidth(14));
});

test('a wide editor is split beside; a narrow one gets the panel below', () => {
  assert.deepEqual(placeResultPanel({ activeColumn: 1, widths: [1600], resultColumns: [], fontSize: 14 }), { kind: 'beside' });
  // The harness window (1400 px, side bar open) leaves ~1100 px: halving would leave ~58 columns.
  assert.deepEqual(placeResultPanel({ activeColumn: 1, widths: [1100], resultColumns: [], fontSize: 14 }), { kind: 'below' });
  assert.deepEqual(placeResultPanel({ activeColumn: 1, widths: [1100], resultColumns: [], fontSize: 10 }), { kind: 'beside' });
});

test('an open result panel in another column is reused; an existing right-hand group is used as is', () => {
  assert.deepEqual(placeResultPanel({ activeColumn: 1, widths: [1100, 400], resultColumns: [2], fontSize: 14 }), { kind: 'column', column: 2 });
  // The result panel sits in the active group (the user is in it): not a reason to open there again.
  assert.deepEqual(placeResultPanel({ activeColumn: 2, widths: [600, 1600], resultColumns: [2], fontSize: 14 }), { kind: 'beside' });
  assert.deepEqual(placeResultPanel({ activeColumn: 1, widths: [600, 600], resultColumns: [], fontSize: 14 }), { kind: 'column', column: 2 });
});

test('without a layout to measure, beside (as ViewColumn.Beside)', () => {
  assert.deepEqual(placeResultPanel({ activeColumn: 1, widths: undefined, resultColumns: [], fontSize: 14 }), { kind: 'beside' });
});
