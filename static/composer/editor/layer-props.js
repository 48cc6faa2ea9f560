// Properties of the selected layer or the scene background: numeric box, rotation, asset pickers, text styling.
// Every change is one store.apply(); the server's dry-run check refuses what the spec does not allow.
import { clearErrors, el, showFieldError } from "../ui.js";
import { plainMessage } from "../work-common.js";
import {
  BACKGROUND, IMPLICIT_AVATAR, assetsOfType, avatarBox, backgroundBox, backgroundOf, layerBox,
  layerPosition, layerType, layersOf, materializeAvatar, setLayerBox,
} from "./doc.js";
import { naturalSize } from "./canvas.js";
import { paletteSwatches } from "./brand.js";
import { timingFields } from "./timeline.js";
import { textFields } from "./text-props.js";
import { aspectHeight } from "./asset-picker.js";
import { showReadOnly } from "./read-only.js";
import { transparencyNotice } from "./transparency.js";
import { SLOT_TYPES, ref, variablesOf } from "./variables.js";

// Ranges of the spec's fields by path ("text_config.font_size", "background_image_config.dx"), from the page data
// (composer/spec/tables.py): input limits and hints say what the server's refusal would say.
let limits = {};
const limitOf = (name) => limits[name] || limits[name.replace(/^background_image_config\./, "bg:")] || null;
const number = (value) => (Number.isInteger(value) ? value.toLocaleString("en-US") : String(value));
function rangeHint(name) {
  const limit = limitOf(name);
  if (!limit || limit.min == null) return null;
  return limit.min < 0 ? `${number(limit.min)} to ${number(limit.max)}` : `${number(limit.min)}–${number(limit.max)}`;
}

function field(label, input, hint = null) {
  return el("div", { class: "field" }, el("label", {}, label, input), hint ? el("p", { class: "field-hint" }, hint) : null);
}

function numberInput(name, value, { step = 1 } = {}) {
  const limit = limitOf(name) || {};
  const shown = step < 1 ? Number(value ?? 0) : Math.round(value ?? 0);
  return el("input", { type: "number", name, "data-field": name, value: shown, min: limit.min, max: limit.max, step,
                       inputmode: step < 1 ? "decimal" : "numeric" });
}

function assetSelect(store, name, assetType, value, { none = null } = {}) {
  const select = el("select", { name, "data-field": name });
  if (none) select.append(el("option", { value: "" }, none));
  for (const asset of assetsOfType(store.meta, assetType)) {
    select.append(el("option", { value: asset.asset_id, selected: asset.asset_id === value },
                     `${asset.asset_name || asset.asset_id}${asset.is_preset ? " (preset)" : ""}`));
  }
  // A template's slots of this type: the asset comes from each row ({{logo}}), drawn here with its sample.
  for (const variable of variablesOf(store.doc).filter((v) => SLOT_TYPES[v.kind] === assetType)) {
    select.append(el("option", { value: ref(variable.name), selected: ref(variable.name) === value },
                     `From each row: ${ref(variable.name)}`));
  }
  return select;
}

export function mountLayerProps(root, store) {
  const form = el("form", { class: "ed-props", novalidate: true, onsubmit: (event) => event.preventDefault() });
  root.replaceChildren(form);
  let drawnFor = "";
  limits = { ...(store.meta.fieldLimits?.layer || {}),
             ...Object.fromEntries(Object.entries(store.meta.fieldLimits?.background || {}).map(([k, v]) => [`bg:${k}`, v])) };
  // A value the editor changed as it was typed ("400°" -> 40°) is said beside its field until the selection moves.
  let note = null;
  const setNote = (name, text) => { note = { key: store.selection, name, text }; showNote(); };
  function showNote() {
    if (!note || note.key !== store.selection) { note = null; return; }
    const input = form.querySelector(`[data-field="${CSS.escape(note.name)}"]`);
    if (!input || input.parentElement.querySelector(".field-note")) return;
    input.insertAdjacentElement("afterend", el("p", { class: "field-note", role: "status", "data-note": note.name }, note.text));
  }

  const sceneOf = (draft) => draft.shoot_scripts[store.sceneIndex].shoot_script;
  const change = (label, mutate) => {
    store.apply(label, (draft) => mutate(draft, sceneOf(draft)));
    store.seal();
  };
  // The selected layer in a draft (the implicit avatar becomes a HUMAN layer when edited).
  const draftLayer = (draft, key) => {
    const scene = sceneOf(draft);
    const position = key === IMPLICIT_AVATAR ? materializeAvatar(draft, store.meta, scene) : layerPosition(key);
    return scene.layer_config[position];
  };

  function boxFields(key, layer, box) {
    const human = layer.layer_type === "HUMAN";
    const inputs = {
      dx: numberInput("position.dx", box.x),
      dy: numberInput("position.dy", box.y),
      width: numberInput("size.width", box.w),
    };
    if (!human && layer.layer_type !== "TEXT") inputs.height = numberInput("size.height", box.h);
    const write = (name, input) => input.addEventListener("change", () => {
      const value = Number(input.value);
      change(`Edit ${name}`, (draft) => {
        const target = draftLayer(draft, key);
        if (target.layer_type === "HUMAN") {
          // The figure box moves, or scales about its top-left keeping its aspect (framing.js).
          const now = avatarBox(draft, store.meta, target);
          const next = name === "dx" ? { ...now, x: value } : name === "dy" ? { ...now, y: value }
            : { ...now, w: value, h: (now.h * value) / now.w };
          setLayerBox(target, next);
        } else if (name === "dx" || name === "dy") target.position = { ...(target.position || {}), [name]: value };
        else target.size = { ...(target.size || {}), [name]: value };
      });
    });
    for (const [name, input] of Object.entries(inputs)) write(name, input);
    const rows = [field("X", inputs.dx), field("Y", inputs.dy), field("Width", inputs.width)];
    if (inputs.height) rows.push(field("Height", inputs.height));
    return el("div", { class: "field-row ed-box-fields" }, ...rows);
  }

  function layerFields(key) {
    const scene = store.scene();
    const implicit = key === IMPLICIT_AVATAR;
    const layer = implicit ? { layer_type: "HUMAN" } : layersOf(scene)[layerPosition(key)];
    if (!layer) return [];
    const type = layerType(store.meta, layer.layer_type);
    const box = layer.layer_type === "HUMAN" ? avatarBox(store.doc, store.meta, implicit ? null : layer)
      : layerBox(store.doc, store.meta, layer);
    const parts = [el("h3", { class: "ed-props-title" }, implicit ? "Avatar (the video's model)" : `${type.label} layer`)];
    if (implicit) parts.push(el("p", { class: "field-hint" }, "Drawn where the avatar rig places it. Move or resize it to give this scene its own layout."));
    parts.push(boxFields(key, layer, box));
    if (type.can_rotate) {
      const angle = numberInput("rotation.angle", layer.rotation?.angle || 0);
      angle.addEventListener("change", () => {
        // A turn is a turn: 400° is drawn as 40° and -15° as 345°, so the field shows that and says so.
        const typed = Math.round(Number(angle.value));
        const value = ((typed % 360) + 360) % 360;
        angle.value = String(value);
        if (typed !== value) setNote("rotation.angle", `${typed}° is the same turn as ${value}°.`);
        change("Rotate", (draft) => {
          const target = draftLayer(draft, key);
          if (value) target.rotation = { angle: value };
          else delete target.rotation;
        });
      });
      parts.push(field("Rotation (°)", angle, rangeHint("rotation.angle")));
    }
    if (layer.layer_type === "HUMAN") {
      parts.push(el("p", { class: "field-hint" }, "The box frames the avatar like a camera: it stands on the box's lower edge, cut there, and keeps its proportions. Pick the avatar itself in Settings."));
    } else if (type.asset_type) {
      const picker = assetSelect(store, "asset_id", type.asset_type, layer.asset_id, { none: "Choose…" });
      picker.addEventListener("change", () => change("Change asset", (draft) => {
        const target = draftLayer(draft, key);
        if (!picker.value) { delete target.asset_id; return; }
        target.asset_id = picker.value;
        // A picked picture sets the box to its shape: the width stays, the height follows the picture.
        const height = aspectHeight(store.meta, picker.value, target.size?.width);
        if (height) target.size = { ...(target.size || {}), height };
      }));
      parts.push(field(type.asset_type === "VIDEO" ? "Video" : "Image", picker,
                       assetsOfType(store.meta, type.asset_type).length ? null : "Upload one in the asset library first."));
    }
    if (layer.layer_type === "TEXT") {
      parts.push(...textFields(store, key, layer, { field, numberInput, rangeHint, change, draftLayer, note: setNote }));
    }
    if (layer.layer_type === "VIDEO") parts.push(...videoFields(key, layer));
    if (type.timing) parts.push(...timingFields(layer, type.timing, (label, fn) => change(label, (draft) => fn(draftLayer(draft, key)))));
    return parts;
  }

  function videoFields(key, layer) {
    const config = layer.video_config || {};
    const loops = numberInput("video_config.loop_count", config.loop_count ?? -1);
    const sound = numberInput("video_config.video_sound", config.video_sound ?? 0);
    const edit = (name, input) => input.addEventListener("change", () => change(`Edit ${name}`, (draft) => {
      const target = draftLayer(draft, key);
      target.video_config = { ...(target.video_config || {}), [name]: Number(input.value) };
    }));
    edit("loop_count", loops);
    edit("video_sound", sound);
    return [el("div", { class: "field-row" }, field("Loops", loops, "-1 = forever, 0 = hidden"), field("Sound (%)", sound))];
  }

  function backgroundFields() {
    // No background_config at all is "Transparent": the reference allows omitting it (composer/spec/transparency.py).
    const background = backgroundOf(store.scene()) || { background_type: "NONE" };
    const kind = el("select", { name: "background_type", "data-field": "background_type" },
      el("option", { value: "COLOR", selected: background.background_type === "COLOR" }, "Colour"),
      el("option", { value: "IMAGE", selected: background.background_type === "IMAGE" }, "Image"),
      el("option", { value: "NONE", selected: background.background_type === "NONE" }, "Transparent (no background)"));
    const setBackground = (label, fn) => change(label, (draft, scene) => {
      const current = backgroundOf(scene) || { background_type: "COLOR" };
      scene.background_config = [fn({ ...current })];
    });
    kind.addEventListener("change", () => {
      if (kind.value === "NONE") change("No background", (draft, scene) => { delete scene.background_config; });
      else changeType();
    });
    const changeType = () => setBackground("Background type", (bg) => {
      if (kind.value === "COLOR") return { background_type: "COLOR", background_color_config: bg.background_color_config || "#E8EEF7" };
      const first = assetsOfType(store.meta, "IMAGE").find((a) => !a.orientation || a.orientation === store.meta.orientation)
        || assetsOfType(store.meta, "IMAGE")[0];
      return { background_type: "IMAGE", background_asset_id: bg.background_asset_id || first?.asset_id };
    });
    const parts = [el("h3", { class: "ed-props-title" }, "Scene background"), field("Type", kind)];
    if (background.background_type === "NONE") {
      parts.push(transparencyNotice(store));
      return parts;
    }
    if (background.background_type === "COLOR") {
      const color = el("input", { type: "color", name: "background_color_config", value: background.background_color_config || "#FFFFFF" });
      const pick = (colour) => setBackground("Background colour", (bg) => ({ ...bg, background_color_config: colour }));
      color.addEventListener("input", () => pick(color.value.toUpperCase()));
      parts.push(field("Colour", color, paletteSwatches(store, "background_color_config", background.background_color_config, pick)));
      return parts;
    }
    const picker = assetSelect(store, "background_asset_id", "IMAGE", background.background_asset_id);
    picker.addEventListener("change", () => setBackground("Background image", (bg) => ({ ...bg, background_asset_id: picker.value })));
    parts.push(field("Image", picker));
    // Without its own box the image is cover-fitted and centred; the fields show that box until edited.
    const url = assetsOfType(store.meta, "IMAGE").find((a) => a.asset_id === background.background_asset_id)?.image_url;
    const drawn = backgroundBox(store.doc, store.meta, background, url && naturalSize(url));
    const box = background.background_image_config
      || { dx: Math.round(drawn.x), dy: Math.round(drawn.y), width: Math.round(drawn.w), height: Math.round(drawn.h) };
    const inputs = ["dx", "dy", "width", "height"].map((name) => {
      const input = numberInput(`background_image_config.${name}`, box[name]);
      input.addEventListener("change", () => setBackground(`Background ${name}`, (bg) => ({
        ...bg, background_image_config: { ...box, [name]: Number(input.value) } })));
      return field({ dx: "X", dy: "Y", width: "Width", height: "Height" }[name], input);
    });
    parts.push(el("div", { class: "field-row ed-box-fields" }, ...inputs));
    if (background.background_image_config) {
      parts.push(el("button", { type: "button", class: "btn btn-small", onclick: () => setBackground("Fit background", (bg) => {
        const next = { ...bg };
        delete next.background_image_config;
        return next;
      }) }, "Fit to cover"));
    }
    parts.push(el("p", { class: "field-hint" }, "The image must always cover the whole canvas. Select it, then drag or resize it to crop."));
    return parts;
  }

  // The server's reason beside the field it names, as the rule alone ("Must be between 0 and 120"): the field's
  // label says the place. Typing in the field again takes the old reason away at once.
  function showRefusal() {
    const reason = store.refusal || store.problem;
    const field = reason?.field || "";
    if (!field) return;
    const input = [...form.querySelectorAll("[data-field]")].find((node) => field.endsWith(node.dataset.field));
    if (!input) return;
    showFieldError(form, input.dataset.field, plainMessage(reason));
    input.addEventListener("input", () => clearErrors(form), { once: true });
  }

  function render() {
    const key = store.selection;
    const signature = JSON.stringify([key, store.sceneIndex, store.doc.shoot_scripts?.[store.sceneIndex], store.doc.model_asset_id,
                                      store.doc.video_config?.codec,
                                      store.refusal?.message, store.problem?.message]);
    if (signature === drawnFor || form.contains(document.activeElement) && document.activeElement.tagName === "TEXTAREA") return;
    drawnFor = signature;
    let parts;
    if (!key) {
      parts = [el("p", { class: "muted small ed-props-empty" }, store.meta.canEdit
        ? "Select a layer on the canvas or in the list to edit it. Click an empty area to select the background."
        : "Select a layer on the canvas or in the list to see its settings.")];
    }
    else if (key === BACKGROUND) parts = backgroundFields();
    else parts = layerFields(key);
    form.replaceChildren(...parts);
    if (!store.meta.canEdit) showReadOnly(form);
    showNote();
    showRefusal();
  }

  render();
  return store.subscribe(render);
}
