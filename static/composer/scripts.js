// Scripts list: new script from a starter, copy under a new name, delete with confirmation.
import { projectApi } from "./api.js";
import { clearErrors, pageData, showFieldError, toast } from "./ui.js";
import { mountInlineName } from "./inline-name.js";
import { liveSearch } from "./live-search.js";
import { editTags } from "./tags.js";
import { localTimes, pageDialogs, submitting } from "./work-common.js";

const data = pageData();
const api = projectApi(data.project_id);
const dialogs = pageDialogs();

localTimes();

// Row buttons answer through the document, so rows that a search brings in work the same.
function onRowButton(selector, handler) {
  document.addEventListener("click", (event) => {
    const button = event.target.closest(selector);
    if (button) handler(button);
  });
}

const searchForm = document.querySelector("[data-live-search]");
if (searchForm) liveSearch(searchForm, { onSwap: () => { localTimes(); mountRenames(); } });

onRowButton("[data-tags]", (button) => {
  const current = button.dataset.current ? button.dataset.current.split(", ") : [];
  editTags({
    name: button.dataset.name, tags: current,
    save: async (tags) => (await api.put(`/digital-human-video-scripts/${button.dataset.tags}`, { tags })).tags,
    onSaved: (tags) => {
      toast(tags.length ? `Tagged “${button.dataset.name}”: ${tags.join(", ")}` : "Tags removed", { kind: "success" });
      location.reload();
    },
  });
});

function editorHref(scriptId) {
  return data.editor_href ? data.editor_href.replace("SCRIPT_ID", scriptId) : location.pathname;
}

// The name rule the API applies, said before the round trip: 1 to 256 characters.
function checkName(form) {
  const input = form.elements.script_name;
  input.value = input.value.trim();
  if (!input.value) {
    showFieldError(form, "script_name", "Give the script a name (1 to 256 characters).");
    input.focus();
    return false;
  }
  return true;
}

// Rename in place beside each name (editors): the copy and delete dialogs then use the new name. Rows that a
// search swaps in get theirs too.
function mountRenames() {
  for (const link of document.querySelectorAll("tr[data-script] [data-rename-script]")) {
    if (link.dataset.renameMounted) continue;
    link.dataset.renameMounted = "1";
    const row = link.closest("tr[data-script]");
    mountInlineName(link, {
      name: link.textContent.trim(), what: "script",
      save: async (name) => (await api.put(`/digital-human-video-scripts/${row.dataset.script}`, { script_name: name })).script_name,
      onSaved: (name) => {
        for (const button of row.querySelectorAll("[data-name]")) button.dataset.name = name;
        toast(`Renamed to “${name}”`, { kind: "success" });
      },
    });
  }
}
mountRenames();

if (dialogs.new) {
  const form = dialogs.new.querySelector("form");
  const select = form.elements.start;
  for (const starter of data.starters) select.append(new Option(starter.label, starter.key));
  for (const button of document.querySelectorAll("[data-new-script]")) {
    button.addEventListener("click", () => {
      clearErrors(form);
      dialogs.new.showModal();
      form.elements.script_name.focus();
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!checkName(form)) return;
    const composition = data.compositions[`${select.value}:${form.elements.orientation.value}`];
    submitting(form, form.querySelector("[data-create]"), async () => {
      const { script_id: id } = await api.post("/digital-human-video-scripts",
                                                { script_name: form.elements.script_name.value, ...composition });
      location.assign(editorHref(id));
    });
  });
}

if (dialogs.copy) {
  const form = dialogs.copy.querySelector("form");
  onRowButton("[data-copy]", (button) => {
    clearErrors(form);
    form.dataset.script = button.dataset.copy;
    dialogs.copy.querySelector("[data-copy-source]").textContent = button.dataset.name;
    form.elements.script_name.value = `${button.dataset.name} (copy)`.slice(0, 256);
    dialogs.copy.showModal();
    form.elements.script_name.select();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!checkName(form)) return;
    submitting(form, form.querySelector("[type=submit]"), async () => {
      await api.post(`/digital-human-video-scripts/${form.dataset.script}/copy`,
                     { script_name: form.elements.script_name.value });
      toast(`Copied as “${form.elements.script_name.value}”`, { kind: "success" });
      location.reload();
    });
  });
}

if (dialogs.delete) {
  const form = dialogs.delete.querySelector("form");
  onRowButton("[data-delete]", (button) => {
    clearErrors(form);
    form.dataset.script = button.dataset.delete;
    dialogs.delete.querySelector("[data-delete-name]").textContent = button.dataset.name;
    dialogs.delete.showModal();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(form, form.querySelector("[data-confirm-delete]"), async () => {
      await api.del(`/digital-human-video-scripts/${form.dataset.script}`);
      document.querySelector(`tr[data-script="${CSS.escape(form.dataset.script)}"]`)?.remove();
      dialogs.delete.close();
      toast("Script deleted", { kind: "success" });
      if (!document.querySelector("tr[data-script]")) location.reload();
    });
  });
}
