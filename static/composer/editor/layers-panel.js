// The layers list of the selected scene, front to back (top = highest layer_index), with reordering (drag or
// buttons, which renumbers layer_index 1..n) and the palette to add a layer.
import { el } from "../ui.js";
import {
  BACKGROUND, IMPLICIT_AVATAR, assetsOfType, backgroundOf, decodeText, drawOrder, findAsset, hasHuman, layerKey,
  layerType, layersOf, newLayer, removeLayer, renumber, shiftLayer,
} from "./doc.js";
import { slotName } from "./variables.js";
import { icon } from "./icons.js";
import { aspectHeight, pickImage } from "./asset-picker.js";

const ICONS = { HUMAN: "☺", IMAGE: "▣", VIDEO: "▶", TEXT: "T", BACKGROUND: "▦" };

function layerName(store, layer) {
  if (layer.layer_type === "TEXT") return decodeText(layer.text_config?.text_context).split("\n")[0] || "Text";
  if (slotName(layer.asset_id)) return layer.asset_id;
  const asset = findAsset(store.meta, layer.layer_type === "HUMAN" ? store.doc.model_asset_id : layer.asset_id);
  return asset?.asset_name || layerType(store.meta, layer.layer_type).label;
}

export function mountLayersPanel(root, store) {
  const palette = el("div", { class: "ed-palette", role: "group", "aria-label": "Add a layer" });
  const list = el("ol", { class: "ed-layer-list", "aria-label": "Layers, front to back" });
  root.replaceChildren(el("div", { class: "ed-panel-head" }, el("h2", {}, "Layers")), palette, list);
  let dragFrom = null;

  const scenePath = (draft) => draft.shoot_scripts[store.sceneIndex].shoot_script;

  for (const type of store.meta.layerTypes || []) {
    palette.append(el("button", {
      type: "button", class: "btn btn-small", "data-add-layer": type.name, title: `Add ${type.label.toLowerCase()} layer`,
      onclick: async () => {
        // An image is chosen (or uploaded) in the picker; the layer takes its shape.
        const asset = type.name === "IMAGE" ? await pickImage(store)
          : type.asset_type && type.name !== "HUMAN" ? assetsOfType(store.meta, type.asset_type)[0] : null;
        if (type.name === "IMAGE" && !asset) return;
        let added = -1;
        store.apply(`Add ${type.name}`, (draft) => {
          const scene = scenePath(draft);
          const layer = newLayer(draft, store.meta, scene, type.name, asset?.asset_id);
          const height = type.name === "IMAGE" && aspectHeight(store.meta, asset.asset_id, layer.size.width);
          if (height) layer.size.height = height;
          scene.layer_config = [...layersOf(scene), layer];
          added = scene.layer_config.length - 1;
        });
        store.seal();
        if (added >= 0 && layersOf(store.scene()).length > added) store.select(layerKey(added));
      },
    }, `+ ${type.label}`));
  }

  function reorder(fromPosition, toPosition) {
    store.apply("Reorder layers", (draft) => {
      const scene = scenePath(draft);
      const order = drawOrder(scene).reverse();       // front first, as listed
      const from = order.indexOf(fromPosition);
      const to = order.indexOf(toPosition);
      order.splice(to, 0, order.splice(from, 1)[0]);
      renumber(scene, order.reverse());
    });
    store.seal();
  }

  function row(key, icon, name, detail, buttons = []) {
    const item = el("li", { class: "ed-layer-row", "data-layer-row": key, "aria-selected": String(store.selection === key) },
      el("button", { type: "button", class: "ed-layer-pick", onclick: () => store.select(key) },
        el("span", { class: "ed-layer-icon", "aria-hidden": "true" }, icon),
        el("span", { class: "ed-layer-label" }, el("span", { class: "ed-layer-name" }, name),
           el("span", { class: "muted small" }, detail))),
      ...buttons);
    return item;
  }

  function render() {
    const scene = store.scene();
    const editable = store.meta.canEdit;
    palette.hidden = !editable;
    for (const button of palette.querySelectorAll("[data-add-layer]")) {
      const type = layerType(store.meta, button.dataset.addLayer);
      const human = type.name === "HUMAN" && hasHuman(scene);
      const noAsset = !["HUMAN", "IMAGE"].includes(type.name) && type.asset_type && !assetsOfType(store.meta, type.asset_type).length;
      button.disabled = !scene || human || noAsset;
      button.title = human ? "A scene has one avatar layer, and this one has it"
        : noAsset ? `Upload a ${type.label.toLowerCase()} in the asset library first` : `Add ${type.label.toLowerCase()} layer`;
    }
    if (!scene) { list.replaceChildren(); return; }
    const front = drawOrder(scene).reverse();
    const rows = front.map((position, i) => {
      const layer = layersOf(scene)[position];
      const key = layerKey(position);
      const button = (text, title, onclick, disabled) =>
        el("button", { type: "button", class: "btn btn-ghost btn-icon", title, "aria-label": title, onclick, disabled }, text);
      const buttons = editable ? [el("span", { class: "ed-row-actions" },
        button(icon("up"), "Bring forward", () => { store.apply("Reorder layers", (d) => shiftLayer(scenePath(d), position, 1)); store.seal(); }, i === 0),
        button(icon("down"), "Send backward", () => { store.apply("Reorder layers", (d) => shiftLayer(scenePath(d), position, -1)); store.seal(); }, i === front.length - 1),
        button(icon("trash"), "Delete layer", () => { store.apply("Delete layer", (d) => removeLayer(scenePath(d), position)); store.select(null); }))]
        : [];
      const item = row(key, ICONS[layer.layer_type] || "?", layerName(store, layer),
                       `${layerType(store.meta, layer.layer_type).label} · #${layer.position?.layer_index ?? "–"}`, buttons);
      if (editable) {
        item.draggable = true;
        item.addEventListener("dragstart", (event) => { dragFrom = position; event.dataTransfer.effectAllowed = "move"; });
        item.addEventListener("dragover", (event) => { if (dragFrom != null) event.preventDefault(); });
        item.addEventListener("drop", (event) => {
          event.preventDefault();
          if (dragFrom != null && dragFrom !== position) reorder(dragFrom, position);
          dragFrom = null;
        });
      }
      return item;
    });
    if (!hasHuman(scene)) {
      const avatar = findAsset(store.meta, store.doc.model_asset_id);
      rows.push(row(IMPLICIT_AVATAR, ICONS.HUMAN, avatar?.asset_name || "Avatar", "Avatar · video's model"));
    }
    const background = backgroundOf(scene);
    if (background) {
      const detail = background.background_type === "COLOR" ? background.background_color_config || "#FFFFFF"
        : findAsset(store.meta, background.background_asset_id)?.asset_name || "Image";
      rows.push(row(BACKGROUND, ICONS.BACKGROUND, "Background", detail));
    }
    list.replaceChildren(...rows);
  }

  render();
  return store.subscribe(render);
}
