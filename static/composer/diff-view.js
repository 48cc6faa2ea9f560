// Two revisions' differences in words, grouped: video-wide settings first, then scene by scene. Used by the
// approval page and the editor's History tab. The words come from the server (`readable` of
// GET .../revisions/{a}/diff/{b}, or the approval page's data): assets by name, script text as spoken.
import { el } from "./ui.js";

const KIND_WORDS = { added: "New", removed: "Removed", changed: "Changed" };

function changeRow(change) {
  return el("div", { class: `change change-${change.kind}`, "data-change": change.kind },
    el("div", {}, el("div", { class: "change-what" }, change.what),
       el("div", { class: "muted small" }, KIND_WORDS[change.kind] || change.kind)),
    el("div", { class: "change-values" },
       change.before != null && el("span", { class: "val-before" }, change.before),
       change.after != null && el("span", { class: "val-after" }, change.after)));
}

// Fill `box` with `diff.readable`: [{group, what, kind, before, after}].
export function renderDiff(box, diff) {
  box.replaceChildren();
  const changes = diff.readable || [];
  if (!changes.length) {
    box.append(el("p", { class: "muted" }, "No changes: these revisions have the same content."));
    return;
  }
  const groups = new Map();
  for (const change of changes) {
    if (!groups.has(change.group)) groups.set(change.group, []);
    groups.get(change.group).push(change);
  }
  const sceneNumber = (name) => Number(/^Scene (\d+)$/.exec(name)?.[1] || 0);
  const names = [...groups.keys()].sort((a, b) => sceneNumber(a) - sceneNumber(b));
  for (const name of names) {
    box.append(el("div", { class: "change-group", "data-group": name },
      el("h3", {}, name), ...groups.get(name).map(changeRow)));
  }
}
