// The editor's state: the composition, selection, undo history, server validation and autosave. Panels read
// from the store and write only through store.apply(); the store never touches the DOM.
import { projectApi } from "../api.js";
import { compositionParts } from "./doc.js";
import { createHistory } from "./history.js";

export const AUTOSAVE_MS = 1500;
export const VALIDATE_MS = 250;
// Refusals of these parts undo the change that caused them (the canvas and layer panels make them); other
// problems (e.g. an empty script while typing) are shown but the text stays as typed.
const GEOMETRY_FIELD = /background_config|layer_config|\.position|\.size|\.rotation/;

export function createStore(pageData) {
  const client = projectApi(pageData.projectId);
  const scriptPath = `/digital-human-video-scripts/${pageData.scriptId}`;
  const history = createHistory(structuredClone(pageData.composition));
  const listeners = new Set();
  const waiters = [];
  let saveTimer = null;
  let validateTimer = null;
  let validateSeq = 0;
  let lastSaved = history.present;
  let appliedDoc = null;    // the doc the last apply() produced: only that change may be undone by a refusal

  const store = {
    meta: pageData,
    sceneIndex: 0,
    selection: null,
    refusal: null,          // {message, field}: the server's reason for the last refused change
    problem: null,          // {message, field}: the doc is invalid, but not because of a refused move
    saveState: { revision: pageData.revision, contentHash: pageData.contentHash, dirty: false, saving: false,
                 error: null, conflict: null },
    get doc() { return history.present; },
    get savedDoc() { return lastSaved; },     // the doc of saveState.revision (the server's previews show it)
    get canUndo() { return history.canUndo(); },
    get canRedo() { return history.canRedo(); },

    scene() {
      return store.doc.shoot_scripts?.[store.sceneIndex]?.shoot_script || null;
    },
    selectScene(i) {
      const count = store.doc.shoot_scripts?.length || 0;
      store.sceneIndex = Math.max(0, Math.min(count - 1, i));
      store.selection = null;
      notify();
    },
    select(key) {
      store.selection = key;
      notify();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },

    // Record one undoable change: mutator(draft) edits a deep copy of the doc.
    apply(label, mutator) {
      if (!pageData.canEdit) return;
      const draft = structuredClone(store.doc);
      mutator(draft);
      if (JSON.stringify(draft) === JSON.stringify(store.doc)) {
        // Typing back the value a refusal restored fixes nothing new, but the refusal is answered.
        if (store.refusal) store.clearRefusal();
        return;
      }
      history.record(label, draft);
      appliedDoc = history.present;
      changed();
    },
    // Stop merging: the next change is its own undo step (end of a drag, leaving a field).
    seal() { history.seal(); },
    undo() {
      if (history.undo()) changed();
    },
    redo() {
      if (history.redo()) changed();
    },
    flush,
    save,
    loadTheirs,
    keepMine,
    // The server's latest revision (after a restore made there) as a new undoable step.
    reloadHead: () => loadTheirs("Restore a revision"),
    validateNow: () => validate(),
    clearRefusal() {
      store.refusal = null;
      notify();
    },
  };

  function notify() {
    for (const fn of [...listeners]) {
      try { fn(store); } catch (error) { console.error(error); }
    }
  }

  function clampSelection() {
    const count = store.doc.shoot_scripts?.length || 0;
    if (store.sceneIndex >= count) store.sceneIndex = Math.max(0, count - 1);
    const layers = store.scene()?.layer_config || [];
    // The background stays selectable without one: "Transparent (no background)" is one of its choices.
    const sel = store.selection;
    if (sel && sel.startsWith("L") && Number(sel.slice(1)) >= layers.length) store.selection = null;
  }

  function changed() {
    clampSelection();
    store.saveState.dirty = store.doc !== lastSaved;
    store.refusal = null;
    scheduleValidate();
    scheduleSave();
    notify();
  }

  function scheduleValidate() {
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validate, VALIDATE_MS);
  }

  // Ask the server (the one place the spec's rules live); a refused geometric change is undone.
  async function validate() {
    clearTimeout(validateTimer);
    const doc = store.doc;
    const seq = ++validateSeq;
    try {
      await client.post(`/digital-human-video-scripts/validate`, compositionParts(doc));
      if (seq !== validateSeq) return;
      store.problem = null;
    } catch (error) {
      if (seq !== validateSeq || error.status !== 400) return;
      const reason = { message: error.message, field: error.body?.field || error.field };
      if (doc === store.doc && doc === appliedDoc && GEOMETRY_FIELD.test(reason.field || reason.message) && history.canUndo()) {
        history.discard();
        clampSelection();
        store.saveState.dirty = store.doc !== lastSaved;
        store.refusal = reason;
        store.problem = null;
      } else {
        store.problem = reason;
      }
    }
    notify();
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    if (store.saveState.dirty && !store.saveState.conflict) saveTimer = setTimeout(save, AUTOSAVE_MS);
  }

  function settle(error) {
    const state = store.saveState;
    if (!error && (state.dirty || state.saving)) return;
    for (const w of waiters.splice(0)) {
      if (error) w.reject(error);
      else w.resolve(state.revision);
    }
  }

  async function save() {
    clearTimeout(saveTimer);
    const state = store.saveState;
    if (state.saving || state.conflict || !pageData.canEdit) return;
    if (!state.dirty) { settle(); return; }
    const doc = store.doc;
    state.saving = true;
    state.error = null;
    notify();
    try {
      // template: null when the doc has none, so removing the last variable removes it from the script too.
      const saved = await client.put(scriptPath, { ...compositionParts(doc), template: doc.template ?? null,
                                                   base_revision: state.revision });
      state.revision = saved.revision;
      state.contentHash = saved.content_hash;
      lastSaved = doc;
      state.dirty = store.doc !== lastSaved;
    } catch (error) {
      if (error.status === 409) state.conflict = { message: error.message };
      else state.error = error.message;
      state.saving = false;
      notify();
      settle(error);
      return;
    }
    state.saving = false;
    notify();
    if (state.dirty) save();
    else settle();
  }

  // Resolves with the saved revision once everything is saved; rejects on an error or a conflict.
  function flush() {
    const state = store.saveState;
    if (state.conflict) return Promise.reject(new Error(state.conflict.message));
    const promise = new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    if (!state.saving) save();
    return promise;
  }

  async function head() {
    const script = await client.get(scriptPath);
    return { revision: script.revision, contentHash: script.content_hash, doc: compositionParts(script) };
  }

  // The conflict, resolved their way: the head becomes the doc; mine stays one undo step back.
  async function loadTheirs(label = "Load their version") {
    const theirs = await head();
    history.record(label, theirs.doc);
    history.seal();
    lastSaved = history.present;
    Object.assign(store.saveState, { revision: theirs.revision, contentHash: theirs.contentHash, dirty: false,
                                     conflict: null, error: null });
    clampSelection();
    notify();
  }

  // The conflict, resolved my way: save my doc on top of the head.
  async function keepMine() {
    const theirs = await head();
    Object.assign(store.saveState, { revision: theirs.revision, conflict: null, error: null, dirty: true });
    notify();
    return flush();
  }

  return store;
}
