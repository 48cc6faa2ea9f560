// The selected scene's script: TEXT/SSML editor, voice picker and audition. Writes only through store.apply.
import { el } from "../ui.js";

export function mountScriptPanel(root, store) {
  const text = el("textarea", { class: "script-text", rows: 10, spellcheck: "true", "aria-label": "Script text",
                                disabled: !store.meta.canEdit });
  text.addEventListener("input", () => {
    store.apply("Edit script", (draft) => {
      const scene = draft.shoot_scripts[store.sceneIndex].shoot_script;
      scene.text_config = { ...(scene.text_config || {}), text: text.value };
    });
  });
  root.replaceChildren(el("div", { class: "script-panel" }, el("h2", { class: "panel-title" }, "Script"), text));
  const render = () => {
    const value = store.scene()?.text_config?.text || "";
    if (document.activeElement !== text && text.value !== value) text.value = value;
  };
  render();
  return store.subscribe(render);
}
