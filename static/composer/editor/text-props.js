// The text layer's properties: text, font (built-in or the project's uploaded fonts), weight, size, colour,
// alignment, line height, a box behind the text and a drop shadow. These are the spec's TextLayerConfig plus our
// documented extensions (composer/spec/tables.py TEXT_STYLE_FIELDS); ranges come from the page data's fieldLimits.
import { el } from "../ui.js";
import { assetsOfType, decodeText, encodeText } from "./doc.js";
import { kitFontsFirst, paletteSwatches } from "./brand.js";
import { isBold } from "./fonts.js";

const ALIGN_LABELS = { LEFT: "Left", CENTER: "Centre", RIGHT: "Right" };
const WEIGHT_LABELS = { REGULAR: "Regular", BOLD: "Bold" };
const NEW_BOX = { box_color: "#000000", box_opacity: 0.6, box_padding: 24 };
const NEW_SHADOW = { shadow_color: "#000000", shadow_offset_x: 4, shadow_offset_y: 4, shadow_blur: 6 };

// ui: { field, numberInput, rangeHint, change, draftLayer, note }
export function textFields(store, key, layer, ui) {
  const { field, numberInput, rangeHint } = ui;
  const defaults = store.meta.textStyle?.defaults || {};
  const config = { ...defaults, ...(layer.text_config || {}) };
  const choices = (name) => store.meta.fieldLimits?.layer?.[`text_config.${name}`]?.choices || [];
  const edit = (label, fn) => ui.change(label, (draft) => {
    const target = ui.draftLayer(draft, key);
    target.text_config = { ...(target.text_config || {}) };
    fn(target.text_config);
  });
  const select = (name, options, value) => el("select", { name: `text_config.${name}`, "data-field": `text_config.${name}` },
    ...options.map(([optionValue, label]) => el("option", { value: optionValue, selected: optionValue === value }, label)));
  const color = (name, value) => el("input", { type: "color", name: `text_config.${name}`, "data-field": `text_config.${name}`,
                                               value: value || "#000000" });
  const brandColours = (name, label) => paletteSwatches(store, name, config[name], (colour) => edit(label, (c) => { c[name] = colour; }));
  const number = (name, step = 1) => {
    const input = numberInput(`text_config.${name}`, config[name], { step });
    input.addEventListener("change", () => edit(`Text ${name.replace(/_/g, " ")}`, (c) => { c[name] = Number(input.value); }));
    return input;
  };

  const text = el("textarea", { name: "text_config.text_context", "data-field": "text_config.text_context", rows: 3 },
                  decodeText(config.text_context));
  text.addEventListener("input", () => store.apply("Edit text", (draft) => {
    const target = ui.draftLayer(draft, key);
    target.text_config = { ...(target.text_config || {}), text_context: encodeText(text.value) };
  }));
  text.addEventListener("change", () => store.seal());

  const fonts = assetsOfType(store.meta, "FONT");
  const builtIn = (store.meta.textStyle?.fonts || ["Noto Sans"])[0];
  const font = select("font_asset_id", [["", builtIn]], config.font_asset_id || "");
  const fontOption = (a) => el("option", { value: a.asset_id, selected: a.asset_id === config.font_asset_id },
                               a.asset_name || a.meta?.family || a.asset_id);
  const [kitFonts, otherFonts] = kitFontsFirst(store, fonts);
  if (kitFonts.length) font.prepend(el("optgroup", { label: "Brand kit", "data-brand-fonts": true }, ...kitFonts.map(fontOption)));
  if (otherFonts.length) font.append(el("optgroup", { label: "This project's fonts" }, ...otherFonts.map(fontOption)));
  font.addEventListener("change", () => edit("Font", (c) => {
    c.font_weight = isBold(c) ? "BOLD" : "REGULAR";          // the weight stays what it looked like
    const asset = fonts.find((a) => a.asset_id === font.value);
    if (asset) {
      c.font_asset_id = asset.asset_id;
      c.font_name = (asset.meta?.family || asset.asset_name || "").slice(0, 64) || c.font_name;
    } else {
      delete c.font_asset_id;
      c.font_name = builtIn;
    }
  }));
  const weight = select("font_weight", choices("font_weight").map((v) => [v, WEIGHT_LABELS[v] || v]),
                        isBold(config) ? "BOLD" : "REGULAR");
  weight.addEventListener("change", () => edit("Font weight", (c) => { c.font_weight = weight.value; }));

  const size = numberInput("text_config.font_size", config.font_size ?? 16);
  size.addEventListener("change", () => {
    const low = store.meta.fieldLimits?.layer?.["text_config.font_size"]?.min ?? 4;
    let value = Math.round(Number(size.value));
    if (value < low) {
      ui.note("text_config.font_size", `${size.value} px is smaller than text can be drawn: set to ${low} px.`);
      value = low;
      size.value = String(low);
    }
    edit("Font size", (c) => { c.font_size = value; });
  });
  const fontColor = color("font_color", config.font_color || "#FFFFFF");
  fontColor.addEventListener("input", () => edit("Font colour", (c) => { c.font_color = fontColor.value.toUpperCase(); }));

  const align = select("text_align", choices("text_align").map((v) => [v, ALIGN_LABELS[v] || v]), config.text_align || "LEFT");
  align.addEventListener("change", () => edit("Text alignment", (c) => { c.text_align = align.value; }));
  const lineHeight = number("line_height", 0.1);

  const parts = [
    field("Text", text),
    el("div", { class: "field-row" }, field("Font", font, fonts.length ? null : el("span", {},
      "Upload TTF or OTF fonts in the ", el("a", { href: store.meta.urls?.assets || "#" }, "asset library"), ".")),
       field("Weight", weight)),
    el("div", { class: "field-row" }, field("Size (px)", size, rangeHint("text_config.font_size")), field("Colour", fontColor, brandColours("font_color", "Font colour"))),
    el("div", { class: "field-row" }, field("Alignment", align), field("Line height (× size)", lineHeight, rangeHint("text_config.line_height"))),
  ];

  const hasBox = Boolean(layer.text_config?.box_color);
  const boxToggle = el("input", { type: "checkbox", name: "text_box", "data-text-box": true, checked: hasBox });
  boxToggle.addEventListener("change", () => edit(boxToggle.checked ? "Add text box" : "Remove text box", (c) => {
    if (boxToggle.checked) Object.assign(c, NEW_BOX);
    else for (const name of Object.keys(NEW_BOX)) delete c[name];
  }));
  const boxSet = el("fieldset", { class: "ed-text-group", "data-text-group": "box" },
    el("legend", {}, el("label", { class: "ed-check" }, boxToggle, " Box behind the text")));
  if (hasBox) {
    const boxColor = color("box_color", config.box_color);
    boxColor.addEventListener("input", () => edit("Box colour", (c) => { c.box_color = boxColor.value.toUpperCase(); }));
    const opacity = el("input", { type: "range", name: "text_config.box_opacity", "data-field": "text_config.box_opacity",
                                  min: 0, max: 1, step: 0.05, value: config.box_opacity ?? 1 });
    const percent = el("output", {}, `${Math.round((config.box_opacity ?? 1) * 100)} %`);
    opacity.addEventListener("input", () => { percent.textContent = `${Math.round(Number(opacity.value) * 100)} %`; });
    opacity.addEventListener("change", () => edit("Box opacity", (c) => { c.box_opacity = Number(opacity.value); }));
    boxSet.append(el("div", { class: "field-row" }, field("Colour", boxColor, brandColours("box_color", "Box colour")), field("Padding (px)", number("box_padding"), rangeHint("text_config.box_padding"))),
                  field("Opacity", el("span", { class: "ed-inline" }, opacity, percent)));
  }
  parts.push(boxSet);

  const hasShadow = Boolean(layer.text_config?.shadow_color);
  const shadowToggle = el("input", { type: "checkbox", name: "text_shadow", "data-text-shadow": true, checked: hasShadow });
  shadowToggle.addEventListener("change", () => edit(shadowToggle.checked ? "Add text shadow" : "Remove text shadow", (c) => {
    if (shadowToggle.checked) Object.assign(c, NEW_SHADOW);
    else for (const name of Object.keys(NEW_SHADOW)) delete c[name];
  }));
  const shadowSet = el("fieldset", { class: "ed-text-group", "data-text-group": "shadow" },
    el("legend", {}, el("label", { class: "ed-check" }, shadowToggle, " Drop shadow")));
  if (hasShadow) {
    const shadowColor = color("shadow_color", config.shadow_color);
    shadowColor.addEventListener("input", () => edit("Shadow colour", (c) => { c.shadow_color = shadowColor.value.toUpperCase(); }));
    shadowSet.append(el("div", { class: "field-row" }, field("Colour", shadowColor, brandColours("shadow_color", "Shadow colour")), field("Blur (px)", number("shadow_blur"), rangeHint("text_config.shadow_blur"))),
                     el("div", { class: "field-row" }, field("Right (px)", number("shadow_offset_x"), rangeHint("text_config.shadow_offset_x")),
                        field("Down (px)", number("shadow_offset_y"), rangeHint("text_config.shadow_offset_y"))));
  }
  parts.push(shadowSet);
  return parts;
}
