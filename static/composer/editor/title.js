// The editor's title: the script's name, renamed in place (a name change is not a revision, so no base_revision).
// Mounted by the editor as mountTitle(h1, store); keeps store.meta.scriptName current for the render dialog.
import { projectApi } from "../api.js";
import { mountInlineName } from "../inline-name.js";

export function mountTitle(root, store) {
  const meta = store.meta;
  if (!meta.canEdit) return;
  const api = projectApi(meta.projectId);
  mountInlineName(root, {
    name: meta.scriptName, what: "script", compact: true,
    save: async (name) => (await api.put(`/digital-human-video-scripts/${meta.scriptId}`, { script_name: name })).script_name,
    onSaved: (name) => {
      meta.scriptName = name;
      document.title = `${name} · Editor`;
    },
  });
}
