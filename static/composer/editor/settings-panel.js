// Video-wide settings: avatar, output video, subtitles, background music, gestures. Writes only through store.apply.
import { el } from "../ui.js";

export function mountSettingsPanel(root, store) {
  const avatar = el("select", { name: "model_asset_id", disabled: !store.meta.canEdit });
  for (const item of store.meta.presets?.avatars || []) {
    avatar.append(el("option", { value: item.asset_id }, item.asset_name || item.name || item.asset_id));
  }
  avatar.addEventListener("change", () => store.apply("Change avatar", (draft) => { draft.model_asset_id = avatar.value; }));
  root.replaceChildren(el("div", { class: "settings-panel" }, el("h2", { class: "panel-title" }, "Settings"),
                          el("label", { class: "field" }, el("span", {}, "Avatar"), avatar)));
  const render = () => { avatar.value = store.doc.model_asset_id || ""; };
  render();
  return store.subscribe(render);
}
