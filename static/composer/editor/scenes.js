// The scenes strip: server thumbnails of each scene, select, add, duplicate, reorder (drag or buttons), delete.
import { el } from "../ui.js";
import { pageDialogs } from "../work-common.js";
import { newScene, orientationOf, renumberScenes } from "./doc.js";
import { icon } from "./icons.js";

export function maxScenes(meta) {
  return meta.schema?.properties?.shoot_scripts?.maxItems || 100;
}

function firstLine(scene) {
  const text = (scene?.text_config?.text || "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return text || (scene?.script_type === "AUDIO" ? "Audio-driven scene" : "No script yet");
}

export function mountScenes(root, store, previews) {
  const list = el("ol", { class: "ed-scene-list", "aria-label": "Scenes" });
  const add = el("button", { type: "button", class: "btn btn-small", "data-scene-add": true }, "+ Add scene");
  const notice = el("p", { class: "field-hint", role: "status" });
  root.replaceChildren(el("div", { class: "ed-panel-head" }, el("h2", {}, "Scenes"), add), list, notice);
  let dragFrom = null;
  const shown = new Map();      // scene index -> the thumbnail URL on screen (loaded)
  const wanted = new Map();     // scene index -> the newest thumbnail URL asked for
  const confirmDelete = pageDialogs()["delete-scene"];
  let deleting = null;

  const scenes = () => store.doc.shoot_scripts || [];

  // A thumbnail keeps its picture until the new revision's has loaded (no grey flash), and a scene the saved
  // revision does not have yet is not asked for (it would only fail).
  function thumbnail(i) {
    const img = el("img", { alt: "", "data-thumb": i, hidden: !shown.has(i), src: shown.get(i) || null });
    const url = i < (store.savedDoc?.shoot_scripts?.length ?? 0) ? previews.thumbnail(i) : null;
    if (url && url !== shown.get(i) && url !== wanted.get(i)) {
      wanted.set(i, url);
      const next = new Image();
      next.addEventListener("load", () => {
        if (wanted.get(i) !== url) return;
        shown.set(i, url);
        const current = list.querySelector(`[data-thumb="${i}"]`);
        if (current) { current.src = url; current.hidden = false; }
      });
      next.src = url;
    }
    return img;
  }

  confirmDelete?.addEventListener("close", () => {
    const at = deleting;
    deleting = null;
    if (confirmDelete.returnValue !== "delete" || at == null || at >= scenes().length) return;
    edit("Delete scene", (items) => items.splice(at, 1), Math.max(0, at - 1));
  });

  function edit(label, mutate, select) {
    store.apply(label, (draft) => {
      mutate(draft.shoot_scripts, draft);
      renumberScenes(draft);
    });
    store.seal();
    if (select != null) store.selectScene(select);
  }

  function move(from, to) {
    if (to < 0 || to >= scenes().length || from === to) return;
    edit("Reorder scenes", (items) => items.splice(to, 0, items.splice(from, 1)[0]), to);
  }

  add.addEventListener("click", () => {
    if (scenes().length >= maxScenes(store.meta)) return;
    const at = store.sceneIndex + 1;
    edit("Add scene", (items) => items.splice(at, 0, { sequence_no: at, shoot_script: newScene(items[store.sceneIndex]?.shoot_script) }), at);
  });

  function actions(i, count, full) {
    const button = (text, title, onclick, extra = {}) =>
      el("button", { type: "button", class: "btn btn-ghost btn-icon", title, "aria-label": title, onclick, ...extra }, text);
    return el("div", { class: "ed-scene-actions" },
      button(icon("up"), "Move scene up", () => move(i, i - 1), { disabled: i === 0 }),
      button(icon("down"), "Move scene down", () => move(i, i + 1), { disabled: i === count - 1 }),
      button(icon("copy"), "Duplicate scene", () => {
        edit("Duplicate scene", (items) => items.splice(i + 1, 0, structuredClone(items[i])), i + 1);
      }, { disabled: full, "data-scene-duplicate": true }),
      button(icon("trash"), "Delete scene", () => {
        deleting = i;
        confirmDelete.returnValue = "";
        confirmDelete.querySelector("[data-delete-scene-name]").textContent = `scene ${i + 1}`;
        confirmDelete.showModal();
      }, { disabled: count <= 1, "data-scene-delete": true }));
  }

  let drawn = "";
  function render() {
    const items = scenes();
    const signature = JSON.stringify([store.saveState.revision, store.sceneIndex, orientationOf(store.doc), items.map((item) => firstLine(item.shoot_script))]);
    if (signature === drawn) return;
    drawn = signature;
    const full = items.length >= maxScenes(store.meta);
    const editable = store.meta.canEdit;
    add.hidden = !editable;
    add.disabled = full;
    notice.textContent = full ? `A script has at most ${maxScenes(store.meta)} scenes.` : "";
    list.replaceChildren(...items.map((item, i) => {
      const scene = item.shoot_script;
      const row = el("li", { class: "ed-scene", "data-scene": i, "aria-current": i === store.sceneIndex ? "true" : null,
                             draggable: editable ? "true" : null },
        el("button", { type: "button", class: "ed-scene-pick", onclick: () => store.selectScene(i),
                       "aria-label": `Scene ${i + 1}` },
          el("span", { class: "ed-thumb", "data-orientation": orientationOf(store.doc) },
            thumbnail(i)),
          el("span", { class: "ed-scene-meta" }, el("strong", {}, `Scene ${i + 1}`),
            el("span", { class: "muted small ed-scene-text" }, firstLine(scene)))),
        editable ? actions(i, items.length, full) : null);
      row.addEventListener("dragstart", (event) => { dragFrom = i; event.dataTransfer.effectAllowed = "move"; });
      row.addEventListener("dragover", (event) => { if (dragFrom != null) { event.preventDefault(); row.classList.add("is-drop"); } });
      row.addEventListener("dragleave", () => row.classList.remove("is-drop"));
      row.addEventListener("drop", (event) => {
        event.preventDefault();
        row.classList.remove("is-drop");
        if (dragFrom != null) move(dragFrom, i);
        dragFrom = null;
      });
      return row;
    }));
  }

  render();
  return store.subscribe(render);
}
