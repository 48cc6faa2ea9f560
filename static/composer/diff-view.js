// Two revisions' differences in words, grouped by scene, with the whole JSON diff folded away. Used by the
// approval page and the editor's History tab (the diff itself comes from the server).
import { el } from "./ui.js";
import { describePath } from "./work-common.js";

function valueText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "on" : "off";
  if (typeof value === "object") {
    const text = JSON.stringify(value);
    return text.length > 240 ? `${text.slice(0, 240)}…` : text;
  }
  return String(value);
}

function groupOf(path) {
  const scene = /^shoot_scripts\[(\d+)\]/.exec(path);
  if (scene) return `Scene ${Number(scene[1]) + 1}`;
  return "Video, presenter and voice";
}

function changeRow(change) {
  const before = valueText(change.before);
  const after = valueText(change.after);
  const what = change.before == null ? "Added" : change.after == null ? "Removed" : "Changed";
  return el("div", { class: "change" },
    el("div", {}, el("div", { class: "change-what" }, describePath(change.path)),
       el("div", { class: "muted small" }, what)),
    el("div", { class: "change-values" },
       before && el("span", { class: "val-before" }, before),
       after && el("span", { class: "val-after" }, after)));
}

function unifiedBlock(text) {
  const pre = el("pre", { class: "unified" });
  for (const line of text.split("\n")) {
    const kind = line.startsWith("+") && !line.startsWith("+++") ? "add"
      : line.startsWith("-") && !line.startsWith("---") ? "del" : null;
    pre.append(el("span", { class: kind }, `${line}\n`));
  }
  return el("details", {}, el("summary", { class: "small" }, "Show every change as JSON"), pre);
}

// Fill `box` with `diff` (GET .../revisions/{a}/diff/{b}): video-wide changes first, then scene by scene.
export function renderDiff(box, diff) {
  box.replaceChildren();
  if (!diff.changes.length) {
    box.append(el("p", { class: "muted" }, "No changes: these revisions have the same content."));
    return;
  }
  const groups = new Map();
  for (const change of diff.changes) {
    const name = groupOf(change.path);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(change);
  }
  const names = [...groups.keys()].sort((a, b) => (a.startsWith("Scene") ? 1 : 0) - (b.startsWith("Scene") ? 1 : 0));
  for (const name of names) {
    box.append(el("div", { class: "change-group", "data-group": name },
      el("h3", {}, name), ...groups.get(name).map(changeRow)));
  }
  box.append(unifiedBlock(diff.unified));
}
