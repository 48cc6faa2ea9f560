// The editor page entry: builds the store, mounts the canvas and the panels, and owns the page-wide parts
// (save status, undo/redo keys, tabs, the refusal message, the conflict dialog, the unload warning).
import { pageData } from "../ui.js";
import { canvasOf, orientationOf } from "./doc.js";
import { mountCanvas } from "./canvas.js";
import { mountLayersPanel } from "./layers-panel.js";
import { mountLayerProps } from "./layer-props.js";
import { mountPreviews } from "./previews.js";
import { mountScenes } from "./scenes.js";
import { createStore } from "./store.js";
import { fieldOf } from "../api.js";
import { describePath, sayError } from "../work-common.js";

const $ = (selector) => document.querySelector(selector);

function mountOptional(module, name, root, store) {
  if (!root) return;
  import(module).then((m) => m[name](root, store)).catch((error) => console.warn(`${module} not mounted`, error));
}

function saveStatus(store) {
  const state = store.saveState;
  if (!store.meta.canEdit) return { text: `Read-only · revision ${state.revision}`, kind: "muted" };
  if (state.conflict) return { text: "Not saved: someone else saved a newer revision", kind: "error" };
  // The save bar stays short: the reason itself is beside its field and under the canvas.
  if (state.error) {
    const field = fieldOf(state.error);
    return { text: field ? `Not saved: fix ${describePath(field)}` : `Not saved: ${state.error}`, kind: "error" };
  }
  if (state.saving) return { text: "Saving…", kind: "busy" };
  if (state.dirty) return { text: "Unsaved changes", kind: "busy" };
  return { text: `Saved · revision ${state.revision}`, kind: "ok" };
}

function mountTopBar(store) {
  const status = $("[data-save-status]");
  const undo = $("[data-undo]");
  const redo = $("[data-redo]");
  undo.addEventListener("click", () => store.undo());
  redo.addEventListener("click", () => store.redo());
  const refusal = $("[data-refusal]");
  const editor = $("[data-editor]");
  const size = $("[data-canvas-size]");
  const render = () => {
    // The settings panel may switch the orientation: the canvas area and its label follow.
    const { width, height } = canvasOf(store.doc, store.meta);
    editor.dataset.orientation = orientationOf(store.doc);
    size.textContent = `${width} × ${height} (${orientationOf(store.doc)})`;
    const { text, kind } = saveStatus(store);
    status.textContent = text;
    status.dataset.kind = kind;
    undo.disabled = !store.meta.canEdit || !store.canUndo;
    redo.disabled = !store.meta.canEdit || !store.canRedo;
    const reason = store.refusal || store.problem;
    refusal.hidden = !reason;
    // "Scene 1 · script text: invalid SSML at line 3, ..." rather than the spec path.
    const said = reason ? sayError(reason) : "";
    refusal.textContent = reason ? `${store.refusal ? "Change refused: " : "Needs fixing: "}${said}` : "";
    refusal.dataset.kind = store.refusal ? "refused" : "problem";
  };
  render();
  store.subscribe(render);
}

function mountTabs() {
  const tabs = [...document.querySelectorAll("[data-tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => {
      for (const other of tabs) {
        const on = other === tab;
        other.setAttribute("aria-selected", String(on));
        document.querySelector(`[data-panel="${other.dataset.tab}"]`).hidden = !on;
      }
    });
  }
}

const typing = (target) => target.closest?.("input, textarea, select, [contenteditable='true']");

function mountKeys(store, canvas) {
  document.addEventListener("keydown", (event) => {
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === "z") {
      event.preventDefault();
      if (event.shiftKey) store.redo(); else store.undo();
      return;
    }
    if (mod && key === "y") {
      event.preventDefault();
      store.redo();
      return;
    }
    const step = event.shiftKey ? 10 : 1;
    const arrows = { arrowleft: [-step, 0], arrowright: [step, 0], arrowup: [0, -step], arrowdown: [0, step] };
    if (arrows[key] && store.selection) {
      event.preventDefault();
      canvas.nudge(...arrows[key]);
    } else if ((key === "delete" || key === "backspace") && store.selection) {
      if (canvas.removeSelection()) event.preventDefault();
    } else if (key === "escape") {
      store.select(null);
    }
  });
}

function mountConflict(store) {
  const dialog = $("[data-conflict]");
  const message = $("[data-conflict-message]");
  const choose = (action) => async () => {
    dialog.close();
    try {
      await action();
    } catch (error) {
      store.saveState.error = error.message;
      store.select(store.selection);
    }
  };
  $("[data-conflict-theirs]").addEventListener("click", choose(() => store.loadTheirs()));
  $("[data-conflict-mine]").addEventListener("click", choose(() => store.keepMine()));
  dialog.addEventListener("cancel", (event) => event.preventDefault());   // a choice is required
  store.subscribe(() => {
    const conflict = store.saveState.conflict;
    if (conflict && !dialog.open) {
      message.textContent = conflict.message;
      dialog.showModal();
    }
  });
}

function warnOnUnload(store) {
  window.addEventListener("beforeunload", (event) => {
    const state = store.saveState;
    if (state.dirty || state.saving || state.conflict) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

function start() {
  const store = createStore(pageData());
  if (store.meta.testHooks) window.composerEditor = store;     // only where COMPOSER_TEST_HOOKS is on
  const canvas = mountCanvas($("#canvas"), store);
  mountTopBar(store);
  mountTabs();
  mountKeys(store, canvas);
  mountConflict(store);
  warnOnUnload(store);
  const previews = mountPreviews(store, canvas);
  mountScenes($("#scenes"), store, previews);
  mountLayersPanel($("#layers-panel"), store);
  mountLayerProps($("#layer-props"), store);
  mountOptional("./script-panel.js", "mountScriptPanel", $("#script-panel"), store);
  mountOptional("./settings-panel.js", "mountSettingsPanel", $("#settings-panel"), store);
  mountOptional("./variables-panel.js", "mountVariablesPanel", $("#variables-panel"), store);
  mountOptional("./review-bar.js", "mountReviewBar", $("#review-bar"), store);
  mountOptional("./history-panel.js", "mountHistoryPanel", $("#history-panel"), store);
  mountOptional("./timeline.js", "mountTimeline", $("#timeline"), store);
  mountOptional("./scene-player.js", "mountScenePlayer", $("[data-play-scene]"), store);
  mountOptional("./title.js", "mountTitle", $(".ed-title h1"), store);
}

start();
