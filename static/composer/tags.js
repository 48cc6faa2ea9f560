// Edit the tags of one script or video in a small dialog: comma-separated, the server's refusal shown beside
// the field. Built here so every list page shares one dialog and one wording.
import { el } from "./ui.js";
import { submitting, wireDialog } from "./work-common.js";

let dialog = null;

function build() {
  const input = el("input", { id: "tags-input", name: "tags", autocomplete: "off", placeholder: "e.g. Spring sale, Social" });
  const form = el("form", { method: "dialog", novalidate: true },
    el("h2", { id: "tags-title" }, "Tags"),
    el("p", { class: "muted small", "data-tags-what": true }),
    el("div", { class: "field" }, el("label", { for: "tags-input" }, "Tags, separated by commas"), input,
       el("p", { class: "field-hint" }, "Up to 10 tags of at most 32 characters. Leave empty to remove all.")),
    el("div", { class: "dialog-actions" },
       el("button", { class: "btn", type: "button", "data-close": true }, "Cancel"),
       el("button", { class: "btn btn-primary", type: "submit", "data-save-tags": true }, "Save tags")));
  dialog = wireDialog(el("dialog", { "data-dialog": "tags", "aria-labelledby": "tags-title" }, form));
  document.body.append(dialog);
  return dialog;
}

// save(tags) resolves with the tags as the server kept them; onSaved(tags) then updates the page.
export function editTags({ name, tags, save, onSaved }) {
  const box = dialog || build();
  const form = box.querySelector("form");
  box.querySelector("[data-tags-what]").textContent = `Organise “${name}” with tags; filter the list by them.`;
  form.elements.tags.value = tags.join(", ");
  form.onsubmit = (event) => {
    event.preventDefault();
    const wanted = form.elements.tags.value.split(",").map((t) => t.trim()).filter(Boolean);
    submitting(form, form.querySelector("[data-save-tags]"), async () => {
      const kept = await save(wanted);
      box.close();
      onSaved(kept);
    });
  };
  box.showModal();
  form.elements.tags.focus();
}
