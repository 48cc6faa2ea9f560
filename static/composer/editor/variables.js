// Template variables in the doc (the composition's `template` extension; the rules are composer/spec/variables.py,
// the server's check is the rule of record). Pure: no DOM, no network. The canvas draws a template with its sample
// values, as the server's thumbnails and plays do.
import { decodeText, encodeText } from "./doc.js";

export const NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;
export const KINDS = ["text", "image", "video", "audio"];
export const SLOT_TYPES = { image: "IMAGE", video: "VIDEO", audio: "AUDIO" };
export const DEFAULT_MAX_LENGTH = 100;
const REFERENCE = /\{\{([a-z][a-z0-9_]{0,39})\}\}/g;
const SLOT = /^\{\{([a-z][a-z0-9_]{0,39})\}\}$/;

export const ref = (name) => `{{${name}}}`;

export function variablesOf(doc) {
  return doc?.template?.variables || [];
}

export function variableNamed(doc, name) {
  return variablesOf(doc).find((v) => v.name === name) || null;
}

// Text as the video will show it with the samples: {{name}} of a declared text variable becomes its sample.
export function withSamples(doc, text) {
  if (!text || !doc?.template) return text;
  return text.replace(REFERENCE, (whole, name) => {
    const variable = variableNamed(doc, name);
    return variable && variable.kind === "text" ? variable.sample : whole;
  });
}

// An asset id as drawn: a slot ({{logo}}) draws its variable's sample asset.
export function slotAsset(doc, assetId) {
  const found = typeof assetId === "string" ? assetId.match(SLOT) : null;
  if (!found) return assetId;
  return variableNamed(doc, found[1])?.sample || null;
}

export const slotName = (assetId) => (typeof assetId === "string" ? assetId.match(SLOT)?.[1] || null : null);

// A name not taken yet: "variable", "variable_2", ...
export function freeName(doc, base = "variable") {
  const taken = new Set(variablesOf(doc).map((v) => v.name));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

// A new variable: text with a sample, or a slot allowing (and sampling) the first asset of its type.
export function addVariable(doc, { name, kind = "text", firstAsset = null }) {
  const variable = { name, kind, sample: kind === "text" ? "Sample" : firstAsset };
  if (kind === "text") variable.max_length = DEFAULT_MAX_LENGTH;
  else variable.allowed = firstAsset ? [firstAsset] : [];
  doc.template ??= { variables: [] };
  doc.template.variables = [...variablesOf(doc), variable];
  return variable;
}

// Every text place of the doc (script texts, text layers, output_name) through `edit`, and every slot through
// `editSlot`: the one walk renaming and removing share.
function eachPlace(doc, edit, editSlot) {
  for (const item of doc.shoot_scripts || []) {
    const scene = item.shoot_script || {};
    if (scene.text_config?.text) scene.text_config.text = edit(scene.text_config.text);
    if (scene.audio_asset_id) scene.audio_asset_id = editSlot(scene.audio_asset_id);
    for (const background of scene.background_config || []) {
      if (background.background_asset_id) background.background_asset_id = editSlot(background.background_asset_id);
    }
    for (const layer of scene.layer_config || []) {
      if (layer.asset_id) layer.asset_id = editSlot(layer.asset_id);
      if (layer.text_config?.text_context) {
        layer.text_config.text_context = encodeText(edit(decodeText(layer.text_config.text_context)));
      }
    }
  }
  const music = doc.background_music_config;
  if (music?.music_asset_id) music.music_asset_id = editSlot(music.music_asset_id);
  if (doc.template?.output_name) doc.template.output_name = edit(doc.template.output_name);
}

// Rename a variable and every reference to it.
export function renameVariable(doc, from, to) {
  const variable = variableNamed(doc, from);
  if (!variable || from === to) return;
  variable.name = to;
  const swap = (text) => text.split(ref(from)).join(ref(to));
  eachPlace(doc, swap, (id) => (id === ref(from) ? ref(to) : id));
}

// Remove a variable: its references in texts become its sample; a slot holding it gets the sample asset.
export function removeVariable(doc, name) {
  const variable = variableNamed(doc, name);
  if (!variable) return;
  const fill = (text) => text.split(ref(name)).join(variable.sample || "");
  eachPlace(doc, fill, (id) => (id === ref(name) ? variable.sample : id));
  doc.template.variables = variablesOf(doc).filter((v) => v.name !== name);
  if (!doc.template.variables.length) delete doc.template;
}

// Where each variable is used (a count), for the panel's "not used yet" hint.
export function usage(doc) {
  const counts = Object.fromEntries(variablesOf(doc).map((v) => [v.name, 0]));
  const count = (text) => {
    for (const found of text.matchAll(REFERENCE)) if (found[1] in counts) counts[found[1]] += 1;
    return text;
  };
  eachPlace(structuredClone(doc), count, (id) => count(id));
  return counts;
}
