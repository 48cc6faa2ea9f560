// The editor's undo history (static/composer/editor/history.js): steps, merging by label and time, discard, reset.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createHistory, MERGE_WINDOW_MS } from "../../../static/composer/editor/history.js";

test("undo and redo walk the recorded steps", () => {
  const history = createHistory({ n: 0 });
  history.record("Move", { n: 1 }, 0);
  history.record("Resize", { n: 2 }, 10_000);
  assert.deepEqual(history.present, { n: 2 });
  assert.equal(history.undoLabel(), "Resize");

  assert.deepEqual(history.undo(), { label: "Resize", doc: { n: 1 } });
  assert.deepEqual(history.undo(), { label: "Move", doc: { n: 0 } });
  assert.equal(history.undo(), null);
  assert.equal(history.canUndo(), false);
  assert.equal(history.redoLabel(), "Move");

  assert.deepEqual(history.redo(), { label: "Move", doc: { n: 1 } });
  assert.deepEqual(history.present, { n: 1 });
  assert.equal(history.canRedo(), true);
});

test("a new step after undo drops what could be redone", () => {
  const history = createHistory("a");
  history.record("Type", "b", 0);
  history.undo();
  history.record("Paste", "c", 5_000);
  assert.equal(history.canRedo(), false);
  assert.equal(history.redo(), null);
  assert.equal(history.undo().doc, "a");
});

test("steps with the same label inside the merge window become one", () => {
  const history = createHistory("");
  history.record("Type", "H", 1_000);
  history.record("Type", "Hi", 1_000 + MERGE_WINDOW_MS);
  history.record("Type", "Hi!", 1_000 + 2 * MERGE_WINDOW_MS);
  assert.equal(history.present, "Hi!");
  assert.equal(history.undo().doc, "");
  assert.equal(history.canUndo(), false);
});

test("a pause, another label or a seal starts a new step", () => {
  const history = createHistory(0);
  history.record("Nudge", 1, 0);
  history.record("Nudge", 2, MERGE_WINDOW_MS + 1);          // too late to merge
  history.record("Rotate", 3, MERGE_WINDOW_MS + 2);          // another label
  history.seal();
  history.record("Rotate", 4, MERGE_WINDOW_MS + 3);          // sealed: the drag ended
  assert.deepEqual([history.undo().doc, history.undo().doc, history.undo().doc, history.undo().doc], [3, 2, 1, 0]);
});

test("an undone step is not merged into by the next change", () => {
  const history = createHistory(0);
  history.record("Nudge", 1, 0);
  history.record("Nudge", 2, 100_000);
  history.undo();
  history.record("Nudge", 3, 100_001);
  assert.equal(history.undo().doc, 1);
});

test("discard drops the last step without a redo entry", () => {
  const history = createHistory("saved");
  history.record("Move", "refused", 0);
  assert.deepEqual(history.discard(), { label: "Move", doc: "saved" });
  assert.equal(history.present, "saved");
  assert.equal(history.canRedo(), false);
  assert.equal(history.discard(), null);
});

test("the oldest steps fall off past the limit", () => {
  const history = createHistory(0, { limit: 3 });
  for (let n = 1; n <= 5; n += 1) history.record(`Step ${n}`, n, n * 10_000);
  const undone = [];
  while (history.canUndo()) undone.push(history.undo().doc);
  assert.deepEqual(undone, [4, 3, 2]);
});

test("reset replaces the present and forgets both stacks", () => {
  const history = createHistory(0);
  history.record("A", 1, 0);
  history.record("B", 2, 10_000);
  history.undo();
  history.reset(9);
  assert.equal(history.present, 9);
  assert.equal(history.canUndo(), false);
  assert.equal(history.canRedo(), false);
  assert.equal(history.undoLabel(), null);
});
