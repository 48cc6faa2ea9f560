// Pure operations on the composition (the spec's own JSON). No DOM, no network: the canvas, the panels and the
// tests all read geometry through these functions, so the canvas draws what the compositor will draw.
import { frameFigure, humanBox } from "./framing.js";

// `template`: Composer's extension making the script a template (variables.js).
export const COMPOSITION_FIELDS = ["model_asset_id", "voice_config", "video_config", "shoot_scripts",
                                   "background_music_config", "action_config", "template"];
export const BACKGROUND = "bg";          // selection key of the scene background
export const IMPLICIT_AVATAR = "avatar"; // the video's model, drawn when a scene has no HUMAN layer
export const MAX_LAYER_INDEX = 100;
export const DEFAULT_BACKGROUND_COLOR = "#FFFFFF";
export const NEW_SCENE_TEXT = "Write what the presenter says in this scene.";

export const layerKey = (i) => `L${i}`;
export const layerPosition = (key) => (typeof key === "string" && key.startsWith("L") ? Number(key.slice(1)) : -1);

export function orientationOf(doc) {
  const video = doc.video_config || {};
  return (video.height || 1080) > (video.width || 1920) ? "portrait" : "landscape";
}

// The layout every position is measured in (RESIZE: 1920x1080 or 1080x1920 by orientation).
export function canvasOf(doc, meta) {
  const name = orientationOf(doc);
  return meta.canvases?.[name] || (name === "portrait" ? { width: 1080, height: 1920 } : { width: 1920, height: 1080 });
}

export function layersOf(scene) {
  return scene?.layer_config || [];
}

export function layerType(meta, name) {
  return (meta.layerTypes || []).find((t) => t.name === name) || { name, label: name, can_rotate: false };
}

export function findAsset(meta, assetId) {
  if (!assetId) return null;
  const presets = Object.values(meta.presets || {}).flat();
  return presets.concat(meta.assets || []).find((a) => a.asset_id === assetId) || null;
}

export function assetsOfType(meta, assetType) {
  const presets = Object.values(meta.presets || {}).flat();
  return presets.concat(meta.assets || []).filter((a) => a.asset_type === assetType);
}

// The same, split for pickers that show the built-in presets apart from the project's own uploads.
export function assetGroups(meta, assetType) {
  const all = assetsOfType(meta, assetType);
  return { presets: all.filter((a) => a.is_preset), own: all.filter((a) => !a.is_preset) };
}

export const indexOf = (layer) => layer.position?.layer_index ?? MAX_LAYER_INDEX;

// Layer positions in drawing order (back to front), as the compositor sorts them.
export function drawOrder(scene) {
  return layersOf(scene).map((layer, i) => i).sort((a, b) => indexOf(layersOf(scene)[a]) - indexOf(layersOf(scene)[b]));
}

export function hasHuman(scene) {
  return layersOf(scene).some((layer) => layer.layer_type === "HUMAN");
}

// UTF-8 <-> base64 for TEXT layers (text_context is base64 in the spec).
export function encodeText(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function decodeText(base64) {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(base64 || ""), (c) => c.charCodeAt(0)));
  } catch {
    return "";
  }
}

// The avatar's figure box (what the canvas selects) in layout pixels, framed by the compositor's own rule
// (framing.js, a transcription of composer/spec/framing.py): a HUMAN box is a camera frame, the figure is
// bottom-anchored in it and cut at its lower edge. Framing the figure box again gives the same picture, so it is
// what a move or resize writes back. Without the rig's metrics (an unreadable rig) the layer's box as given.
export function avatarBox(doc, meta, layer = null) {
  const canvas = canvasOf(doc, meta);
  const figure = findAsset(meta, doc.model_asset_id)?.rig?.figure;
  if (figure) {
    const [x, y, w, h] = frameFigure(humanBox(layer, figure, [canvas.width, canvas.height]), figure).figure;
    return { x, y, w, h };
  }
  const [dx, dy, w, h] = layerType(meta, "HUMAN").default_box?.[orientationOf(doc)] || [0, 0, canvas.width, canvas.height];
  const position = layer?.position || {};
  const size = layer?.size || {};
  return { x: position.dx ?? dx, y: position.dy ?? dy, w: size.width || w, h: size.height || h };
}

// Where the avatar picture goes for a figure box: the rig canvas (`canvas`) and its visible part (`clip`, cut at
// the box's lower edge), both in layout pixels; null without the rig's metrics.
export function avatarView(doc, meta, box) {
  const figure = findAsset(meta, doc.model_asset_id)?.rig?.figure;
  if (!figure) return null;
  const framing = frameFigure([box.x, box.y, box.w, box.h], figure);
  const [left, top] = framing.offset;
  const [x, y, w, h] = framing.clip;
  return { canvas: { x: left, y: top, w: figure.canvas[0] * framing.scale, h: figure.canvas[1] * framing.scale },
           clip: { x, y, w, h } };
}

// The box of a layer in layout pixels. `natural` is the source's pixel size when known (images keep their aspect
// when only one side is given); TEXT boxes are measured by the canvas and passed in as `natural`.
export function layerBox(doc, meta, layer, natural = null) {
  if (layer.layer_type === "HUMAN") return avatarBox(doc, meta, layer);
  const position = layer.position || {};
  const size = layer.size || {};
  let { width, height } = size;
  if (natural) {
    if (width && !height) height = (width * natural.h) / natural.w;
    else if (height && !width) width = (height * natural.w) / natural.h;
  }
  const box = layerType(meta, layer.layer_type).default_box?.[orientationOf(doc)] || [0, 0, 100, 100];
  return { x: position.dx ?? 0, y: position.dy ?? 0, w: width || natural?.w || box[2], h: height || natural?.h || box[3] };
}

export function backgroundOf(scene) {
  return (scene?.background_config || [])[0] || null;
}

// The background image's box: its own config, or cover-fit centred as the compositor draws it.
export function backgroundBox(doc, meta, background, natural) {
  const canvas = canvasOf(doc, meta);
  const box = background?.background_image_config;
  if (box) return { x: box.dx, y: box.dy, w: box.width, h: box.height };
  if (!natural) return { x: 0, y: 0, w: canvas.width, h: canvas.height };
  const scale = Math.max(canvas.width / natural.w, canvas.height / natural.h);
  const w = natural.w * scale;
  const h = natural.h * scale;
  return { x: (canvas.width - w) / 2, y: (canvas.height - h) / 2, w, h };
}

const round = Math.round;

// Write a box back into a layer (rounded: the spec takes integers).
export function setLayerBox(layer, box) {
  layer.position = { ...(layer.position || {}), dx: round(box.x), dy: round(box.y) };
  if (layer.layer_type === "TEXT") layer.size = { ...(layer.size || {}), width: Math.max(1, round(box.w)) };
  else layer.size = { width: Math.max(1, round(box.w)), height: Math.max(1, round(box.h)) };
}

export function setBackgroundBox(background, box) {
  background.background_image_config = { dx: round(box.x), dy: round(box.y), width: Math.max(1, round(box.w)),
                                         height: Math.max(1, round(box.h)) };
}

// layer_index 1..n in the given order (back to front).
export function renumber(scene, orderBackToFront) {
  orderBackToFront.forEach((position, i) => {
    const layer = scene.layer_config[position];
    layer.position = { dx: 0, dy: 0, ...(layer.position || {}), layer_index: i + 1 };
  });
}

function nextIndex(scene) {
  const used = layersOf(scene).map(indexOf);
  return used.length ? Math.min(MAX_LAYER_INDEX, Math.max(...used) + 1) : 1;
}

// A new layer of `type` with the palette's default box for this orientation, on top of the others.
export function newLayer(doc, meta, scene, typeName, assetId = null) {
  const type = layerType(meta, typeName);
  const [dx, dy, width, height] = type.default_box?.[orientationOf(doc)] || [0, 0, 400, 300];
  const layer = { layer_type: typeName, position: { dx, dy, layer_index: nextIndex(scene) } };
  if (assetId) layer.asset_id = assetId;
  layer.size = { width, height };
  if (typeName === "TEXT") {
    layer.text_config = { text_context: encodeText("Your headline"), font_size: 72, font_color: "#FFFFFF" };
  }
  if (typeName === "VIDEO") layer.video_config = { loop_count: -1, video_sound: 0 };
  return layer;
}

// The implicit avatar made explicit (so it can be moved): a HUMAN layer at its drawn box, behind the rest.
export function materializeAvatar(doc, meta, scene) {
  const box = avatarBox(doc, meta);
  const layer = { layer_type: "HUMAN", position: { dx: 0, dy: 0, layer_index: 1 } };
  setLayerBox(layer, box);
  const order = drawOrder(scene);
  scene.layer_config = [...layersOf(scene), layer];
  renumber(scene, [scene.layer_config.length - 1, ...order]);
  return scene.layer_config.length - 1;
}

export function removeLayer(scene, position) {
  const order = drawOrder(scene).filter((p) => p !== position).map((p) => (p > position ? p - 1 : p));
  scene.layer_config = layersOf(scene).filter((_, i) => i !== position);
  renumber(scene, order);
}

// Move a layer up (towards the front, +1) or down (-1) in the stack.
export function shiftLayer(scene, position, step) {
  const order = drawOrder(scene);
  const at = order.indexOf(position);
  const to = Math.max(0, Math.min(order.length - 1, at + step));
  order.splice(at, 1);
  order.splice(to, 0, position);
  renumber(scene, order);
}

export function newScene(from) {
  const scene = structuredClone(from || {});
  scene.script_type = "TEXT";
  scene.text_config = { text: NEW_SCENE_TEXT };
  delete scene.audio_drive_file_external_url;
  delete scene.audio_asset_id;
  delete scene.audio_config;
  // A scene added after a transparent one stays transparent; a first scene gets a colour.
  if (!from) scene.background_config = [{ background_type: "COLOR", background_color_config: "#E8EEF7" }];
  return scene;
}

export function renumberScenes(doc) {
  doc.shoot_scripts.forEach((item, i) => { item.sequence_no = i; });
}

// The composition parts of a doc (what the scripts API saves and validates).
export function compositionParts(doc) {
  return Object.fromEntries(COMPOSITION_FIELDS.filter((k) => k in doc).map((k) => [k, doc[k]]));
}

// Rough scene length for the preview slider: about 250 words a minute at speed 100, 2.5 characters a second CJK.
export function sceneSeconds(doc, scene) {
  const text = (scene?.text_config?.text || "").replace(/<[^>]*>/g, " ");
  const words = text.split(/\s+/).filter(Boolean).length;
  const cjk = (text.match(/[\u2e80-\u9fff\uac00-\ud7af]/g) || []).length;
  const speed = (doc.voice_config?.speed || 100) / 100;
  return Math.max(1, (words / (250 / 60) + cjk / 4.5) / speed + 0.5);
}
