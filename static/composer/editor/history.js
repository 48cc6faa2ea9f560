// Undo/redo as a stack of whole-document snapshots (documents are small JSON). Pure: no DOM, no clock of its own.

export const MERGE_WINDOW_MS = 600;

// A history starting at `doc`. record(label, doc, now) adds a step; a step with the same label as the previous
// one within MERGE_WINDOW_MS replaces it instead, so typing a word or nudging with the keyboard is one step.
export function createHistory(doc, { limit = 200 } = {}) {
  let past = [];          // [{label, doc}] - the states before each undoable step
  let future = [];
  let present = doc;
  let last = { label: null, at: -Infinity };

  return {
    get present() { return present; },
    record(label, next, now = Date.now()) {
      const merge = label && label === last.label && now - last.at <= MERGE_WINDOW_MS && past.length > 0;
      if (!merge) {
        past.push({ label, doc: present });
        if (past.length > limit) past = past.slice(past.length - limit);
      }
      present = next;
      future = [];
      last = { label, at: now };
    },
    // The state `steps` back, or null when there is none.
    undo() {
      const step = past.pop();
      if (!step) return null;
      future.push({ label: step.label, doc: present });
      present = step.doc;
      last = { label: null, at: -Infinity };
      return { label: step.label, doc: present };
    },
    redo() {
      const step = future.pop();
      if (!step) return null;
      past.push({ label: step.label, doc: present });
      present = step.doc;
      last = { label: null, at: -Infinity };
      return { label: step.label, doc: present };
    },
    // Drop the last step without a redo entry (a change the server refused): back to the state before it.
    discard() {
      const step = past.pop();
      if (!step) return null;
      present = step.doc;
      last = { label: null, at: -Infinity };
      return { label: step.label, doc: present };
    },
    // Replace the present without an undo step (the server's copy after a reload); clears both stacks.
    reset(next) {
      past = [];
      future = [];
      present = next;
      last = { label: null, at: -Infinity };
    },
    canUndo: () => past.length > 0,
    canRedo: () => future.length > 0,
    undoLabel: () => past.at(-1)?.label ?? null,
    redoLabel: () => future.at(-1)?.label ?? null,
    // Stop merging into the last step (e.g. when a drag ends), so the next change is its own step.
    seal() { last = { label: null, at: -Infinity }; },
  };
}
