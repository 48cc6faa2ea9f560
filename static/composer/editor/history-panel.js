// The History tab: every saved revision (who, when, restored from which), what changed since one of them, and
// bringing an older one back as a new revision. Mounted by the editor as mountHistoryPanel(root, store); reads and
// restores through the scripts API, then takes the new head into the store as an undoable step.
import { projectApi } from "../api.js";
import { renderDiff } from "../diff-view.js";
import { el, formatDate, toast } from "../ui.js";
import { plainMessage } from "../work-common.js";

const PAGE = 50;

export function mountHistoryPanel(root, store) {
  const meta = store.meta;
  const api = projectApi(meta.projectId);
  const path = `/digital-human-video-scripts/${meta.scriptId}`;
  const list = el("ol", { class: "history-list", "data-history": true });
  const status = el("p", { class: "muted small", role: "status" });
  const dialog = el("dialog", { class: "history-dialog", "aria-labelledby": "history-title" });
  document.body.append(dialog);
  root.replaceChildren(el("div", { class: "history-panel" },
    el("h2", { class: "panel-title" }, "History"),
    el("p", { class: "muted small" },
       "Every save is a revision. See what changed since one, or bring it back as a new revision: nothing is lost."),
    status, list));

  let shownFor = null;      // the head revision the list shows
  let loading = false;

  async function load() {
    if (root.hidden || loading || store.saveState.revision === shownFor) return;
    loading = true;
    const head = store.saveState.revision;
    try {
      const page = await api.get(`${path}/revisions?limit=${PAGE}`);
      shownFor = head;
      list.replaceChildren(...page.revisions.map(row));
      status.textContent = page.count > page.revisions.length
        ? `The latest ${page.revisions.length} of ${page.count} revisions.` : "";
    } catch (error) {
      status.textContent = `The history could not be loaded: ${plainMessage(error)}`;
    } finally {
      loading = false;
    }
    load();                 // a save landed meanwhile
  }

  function row(revision) {
    const current = revision.revision === store.saveState.revision;
    const who = `${revision.author || "Someone"} · ${formatDate(revision.create_time)}`;
    const compare = !current && el("button", { class: "btn btn-small", type: "button", "data-compare": revision.revision,
                                              onclick: () => showChanges(revision) }, "Changes since");
    const restore = !current && meta.canEdit && el("button", {
      class: "btn btn-small", type: "button", "data-restore": revision.revision, onclick: () => confirmRestore(revision) },
      "Restore");
    return el("li", { class: `history-row${current ? " is-current" : ""}`, "data-revision": revision.revision },
      el("div", { class: "history-main" },
        el("span", { class: "history-title" }, `Revision ${revision.revision}`,
           current && el("span", { class: "badge" }, "Current")),
        el("span", { class: "muted small" }, who),
        revision.restored_from && el("span", { class: "muted small" }, `Restored from revision ${revision.restored_from}`)),
      el("div", { class: "history-actions" }, compare, restore));
  }

  function openDialog(title, ...body) {
    dialog.replaceChildren(el("h2", { id: "history-title" }, title), ...body.filter(Boolean));
    dialog.showModal();
  }

  const closeButton = (label = "Close") => el("button", { class: "btn", type: "button", onclick: () => dialog.close() }, label);

  async function showChanges(revision) {
    const head = store.saveState.revision;
    const box = el("div", { class: "history-diff", "data-history-diff": true }, el("p", { class: "muted" }, "Loading…"));
    openDialog(`What changed from revision ${revision.revision} to ${head}`,
      store.saveState.dirty ? el("p", { class: "muted small" }, "Edits not saved yet are not included.") : null,
      box, el("div", { class: "dialog-actions" }, closeButton()));
    try {
      renderDiff(box, await api.get(`${path}/revisions/${revision.revision}/diff/${head}`));
    } catch (error) {
      box.replaceChildren(el("p", { class: "notice notice-danger" }, plainMessage(error)));
    }
  }

  function confirmRestore(revision) {
    const error = el("p", { class: "form-error", role: "alert", hidden: true });
    const confirm = el("button", { class: "btn btn-primary", type: "button", "data-confirm-restore": true }, "Restore");
    openDialog(`Restore revision ${revision.revision}?`,
      el("p", {}, `Its content becomes a new revision on top of revision ${store.saveState.revision}. `,
         "The current content stays in the history, and Undo brings it back here."),
      error, el("div", { class: "dialog-actions" }, closeButton("Cancel"), confirm));
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      try {
        if (store.saveState.dirty || store.saveState.saving) await store.flush();   // keep unsaved edits too
        const restored = await api.post(`${path}/revisions/${revision.revision}/restore`, {});
        await store.reloadHead();
        dialog.close();
        toast(`Revision ${revision.revision} restored as revision ${restored.revision}`, { kind: "success" });
        load();
      } catch (failure) {
        error.textContent = plainMessage(failure);
        error.hidden = false;
        confirm.disabled = false;
      }
    });
  }

  document.querySelector("[data-tab='history']")?.addEventListener("click", () => load());
  return store.subscribe(() => load());
}
