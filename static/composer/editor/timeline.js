// The scene's timeline under the canvas: one row per layer, a bar from when it appears to when it is gone over the
// scene's length (the spoken-length estimate, or the length of the last play). Dragging a bar's ends or middle writes
// the layer's `timing` (the spec's extension) through store.apply, so the server's dry-run check and autosave see
// it like any edit. A playhead follows the preview's time slider and the scene player.
import { projectApi } from "../api.js";
import { el } from "../ui.js";
import { IMPLICIT_AVATAR, decodeText, drawOrder, findAsset, hasHuman, layerKey, layerType, layersOf, sceneSeconds } from "./doc.js";

const STEP = 0.1;           // seconds: bars snap to tenths
const MIN_SHOWN = 0.2;      // a bar never shrinks below this
const round = (s) => Math.round(s / STEP) * STEP;
const fixed = (s) => Number(s.toFixed(2));

// The timing of a layer as the renderer reads it: {start, end (null = until the scene ends), fade_in, fade_out}.
export function timingOf(layer) {
  const t = layer.timing || {};
  return { start: t.start || 0, end: t.end ?? null, fade_in: t.fade_in || 0, fade_out: t.fade_out || 0 };
}

// Write a timing back, dropping what is the default (a layer shown for the whole scene carries none).
export function setTiming(layer, { start, end, fade_in: fadeIn, fade_out: fadeOut }) {
  const timing = {};
  if (start > 0) timing.start = fixed(start);
  if (end != null) timing.end = fixed(end);
  if (fadeIn > 0) timing.fade_in = fixed(fadeIn);
  if (fadeOut > 0) timing.fade_out = fixed(fadeOut);
  if (Object.keys(timing).length) layer.timing = timing;
  else delete layer.timing;
}

const TAIL_SECONDS = 0.3;    // the render holds the last frame this long after the speech
const ESTIMATE_DELAY_MS = 400;

// Seconds the timeline spans: the last play of this very scene if there was one, else the audio file's length or
// the server's spoken-length estimate (the script panel's; a rough local one until it arrives); always past every
// bar's end.
function sceneLength(store, played, estimates) {
  const scene = store.scene();
  const signature = playSignature(store);
  let seconds = played.get(store.sceneIndex)?.signature === signature ? played.get(store.sceneIndex).duration : 0;
  if (!seconds && scene?.script_type === "AUDIO") seconds = findAsset(store.meta, scene.audio_asset_id)?.duration || 0;
  if (!seconds && estimates.get(signature) != null) seconds = estimates.get(signature) + TAIL_SECONDS;
  if (!seconds) seconds = sceneSeconds(store.doc, scene);
  const ends = layersOf(scene).map((layer) => Math.max(timingOf(layer).end ?? 0, timingOf(layer).start + MIN_SHOWN));
  return Math.max(1, seconds, ...ends.map((end) => end + 0.5));
}

// What the spoken length depends on: the same text and voice give the same length.
function playSignature(store) {
  const scene = store.scene() || {};
  return JSON.stringify([scene.script_type, scene.text_config, scene.audio_asset_id, store.doc.voice_config]);
}

function layerName(meta, layer) {
  const type = layerType(meta, layer.layer_type);
  if (layer.layer_type === "TEXT") return `${type.label}: ${decodeText(layer.text_config?.text_context).split("\n")[0].slice(0, 24)}`;
  if (layer.layer_type === "HUMAN") return "Avatar";
  const asset = findAsset(meta, layer.asset_id);
  return asset?.asset_name ? `${type.label}: ${asset.asset_name}` : type.label;
}

const seconds = (s) => `${s.toFixed(1)} s`;

export function mountTimeline(root, store) {
  const played = new Map();   // scene index -> {duration, signature} of its last play
  const estimates = new Map(); // playSignature -> the server's estimate of the spoken seconds
  const client = projectApi(store.meta.projectId);
  let estimateTimer = null;
  function askEstimate() {
    const signature = playSignature(store);
    const scene = store.scene() || {};
    if (estimates.has(signature) || (scene.script_type || "TEXT") !== "TEXT") return;
    clearTimeout(estimateTimer);
    estimateTimer = setTimeout(async () => {
      const voice = store.doc.voice_config || {};
      try {
        const check = await client.post("/ssml-checks", { script_type: "TEXT", text: scene.text_config?.text || "",
          speed: voice.speed || 100, ...(voice.voice_asset_id ? { voice_asset_id: voice.voice_asset_id } : {}) });
        if (check.estimated_seconds != null) estimates.set(signature, check.estimated_seconds);
      } catch {
        estimates.set(signature, null);   // an invalid script: the rough estimate stays
      }
      drawnFor = "";
      render();
    }, estimates.size ? ESTIMATE_DELAY_MS : 0);
  }
  const ruler = el("div", { class: "tl-ruler", "aria-hidden": "true" });
  const rows = el("div", { class: "tl-rows" });
  const playhead = el("div", { class: "tl-playhead", hidden: true, "data-playhead": true });
  const lengthNote = el("span", { class: "tl-length muted small", "data-timeline-length": true });
  const body = el("div", { class: "tl-body" }, ruler, rows, playhead);
  root.replaceChildren(el("div", { class: "tl-head" }, el("h2", { class: "tl-title" }, "Timeline"), lengthNote), body);
  let length = 1;
  let drawnFor = "";
  let dragging = null;
  let playheadAt = null;

  const percent = (s) => `${(100 * s) / length}%`;

  function bar(layer, position) {
    const type = layerType(store.meta, layer.layer_type);
    const timing = timingOf(layer);
    const end = timing.end ?? length;
    const key = position == null ? IMPLICIT_AVATAR : layerKey(position);
    const selected = store.selection === key;
    const canTime = Boolean(type.timing) && store.meta.canEdit;
    const node = el("div", {
      class: `tl-bar${timing.end == null ? " is-open" : ""}${canTime ? "" : " is-fixed"}${selected ? " is-selected" : ""}`,
      style: `left:${percent(timing.start)};width:${percent(Math.max(0, end - timing.start))}`,
      "data-timeline-bar": key, "data-kind": layer.layer_type.toLowerCase(),
      title: type.timing ? `${seconds(timing.start)} – ${timing.end == null ? "end of scene" : seconds(end)}`
        : "The avatar shows for the whole scene",
    });
    if (timing.fade_in) node.append(el("span", { class: "tl-fade tl-fade-in", style: `width:${(100 * timing.fade_in) / Math.max(STEP, end - timing.start)}%` }));
    if (timing.fade_out) node.append(el("span", { class: "tl-fade tl-fade-out", style: `width:${(100 * timing.fade_out) / Math.max(STEP, end - timing.start)}%` }));
    if (canTime) {
      node.append(el("span", { class: "tl-handle tl-handle-start", "data-tl-handle": "start", "aria-label": "Drag to change when it appears" }),
                  el("span", { class: "tl-handle tl-handle-end", "data-tl-handle": "end", "aria-label": "Drag to change when it is gone" }));
      node.addEventListener("pointerdown", (event) => startDrag(event, node, position, event.target.dataset.tlHandle || "move"));
    } else {
      node.addEventListener("pointerdown", () => store.select(key));
    }
    return node;
  }

  function row(layer, position) {
    const key = position == null ? IMPLICIT_AVATAR : layerKey(position);
    const label = el("button", { type: "button", class: "tl-label", title: layerName(store.meta, layer),
                                 onclick: () => store.select(key) }, layerName(store.meta, layer));
    return el("div", { class: "tl-row", "data-timeline-row": key }, label, el("div", { class: "tl-track" }, bar(layer, position)));
  }

  function drawRuler() {
    const every = length > 40 ? 10 : length > 16 ? 5 : length > 6 ? 2 : 1;
    const ticks = [];
    for (let s = 0; s <= length + 1e-6; s += every) ticks.push(el("span", { class: "tl-tick", style: `left:${percent(s)}` }, `${s}s`));
    ruler.replaceChildren(...ticks);
  }

  function placePlayhead() {
    playhead.hidden = playheadAt == null;
    if (playheadAt != null) playhead.style.left = `calc(var(--tl-label) + (100% - var(--tl-label)) * ${Math.min(1, playheadAt / length)})`;
  }

  function render() {
    if (dragging) return;
    askEstimate();
    length = sceneLength(store, played, estimates);
    const scene = store.scene();
    const signature = JSON.stringify([store.sceneIndex, store.selection, length, layersOf(scene), store.meta.canEdit]);
    lengthNote.textContent = played.get(store.sceneIndex)?.signature === playSignature(store)
      ? `${seconds(length)} (as played)` : `≈ ${seconds(length)} (estimated from the script)`;
    lengthNote.dataset.source = played.get(store.sceneIndex)?.signature === playSignature(store) ? "played"
      : estimates.get(playSignature(store)) != null ? "estimate" : "rough";
    placePlayhead();
    if (signature === drawnFor) return;
    drawnFor = signature;
    drawRuler();
    const order = drawOrder(scene).reverse();   // front first, as the layers list shows them
    const children = order.map((position) => row(layersOf(scene)[position], position));
    if (!hasHuman(scene)) children.push(row({ layer_type: "HUMAN" }, null));
    rows.replaceChildren(...children);
  }

  function startDrag(event, node, position, handle) {
    if (event.button !== 0) return;
    event.preventDefault();
    // While dragging the rows are not redrawn: the bar under the pointer stays the one that moves.
    dragging = { position };
    store.select(layerKey(position));
    node.classList.add("is-selected");
    const track = node.parentElement;
    const perPixel = length / track.getBoundingClientRect().width;
    const from = timingOf(layersOf(store.scene())[position]);
    const originX = event.clientX;
    node.setPointerCapture(event.pointerId);
    const span = (from.end ?? length) - from.start;
    const least = Math.max(MIN_SHOWN, from.fade_in + from.fade_out);
    const move = (e) => {
      const delta = (e.clientX - originX) * perPixel;
      let start = from.start;
      let end = from.end ?? length;
      if (handle === "start") start = Math.min(Math.max(0, round(from.start + delta)), end - least);
      else if (handle === "end") end = Math.max(round(end + delta), start + least);
      else {
        start = Math.min(Math.max(0, round(from.start + delta)), Math.max(0, length - span));
        end = start + span;
      }
      // Dragged to the scene's end (or an open bar moved): "until the scene ends".
      const open = end >= length - STEP / 2 && (handle === "end" || from.end == null);
      node.style.left = percent(start);
      node.style.width = percent((open ? length : end) - start);
      node.title = `${seconds(start)} – ${open ? "end of scene" : seconds(end)}`;
      store.apply("Layer timing", (draft) => {
        const layer = draft.shoot_scripts[store.sceneIndex].shoot_script.layer_config[position];
        setTiming(layer, { ...timingOf(layer), start: Math.max(0, start), end: open ? null : Math.min(end, 36000) });
      });
    };
    const stop = () => {
      node.removeEventListener("pointermove", move);
      node.removeEventListener("pointerup", stop);
      node.removeEventListener("pointercancel", stop);
      dragging = null;
      store.seal();
      drawnFor = "";
      render();
    };
    node.addEventListener("pointermove", move);
    node.addEventListener("pointerup", stop);
    node.addEventListener("pointercancel", stop);
  }

  // The preview's time slider and the scene player move the playhead.
  const slider = document.querySelector("[data-preview-slider]");
  slider?.addEventListener("input", () => { playheadAt = Number(slider.value); placePlayhead(); });
  document.addEventListener("composer:playhead", (event) => { playheadAt = event.detail.time; placePlayhead(); });
  document.addEventListener("composer:scene-played", (event) => {
    played.set(event.detail.sceneIndex, { duration: event.detail.duration, signature: event.detail.signature });
    render();
  });
  render();
  store.subscribe(render);
  return { signature: () => playSignature(store) };
}

// The layer's timing as fields (for the properties panel): appear, disappear (empty = until the scene ends), fades.
// `edit(label, fn)` applies fn(layer) to the selected layer in a draft; limits come from the spec via page data.
export function timingFields(layer, limits, edit, { disabled = false } = {}) {
  const timing = timingOf(layer);
  const input = (name, value, max, placeholder = null) => el("input", {
    type: "number", name: `timing.${name}`, "data-field": `timing.${name}`, min: 0, max, step: STEP, inputmode: "decimal",
    value: value == null ? "" : String(fixed(value)), placeholder, disabled,
  });
  const start = input("start", timing.start, limits.start_max);
  const end = input("end", timing.end, limits.start_max, "end of scene");
  const fadeIn = input("fade_in", timing.fade_in, limits.fade_max);
  const fadeOut = input("fade_out", timing.fade_out, limits.fade_max);
  const write = (label, name, node) => node.addEventListener("change", () => edit(label, (target) => {
    const value = node.value.trim() === "" ? null : Number(node.value);
    const next = timingOf(target);
    next[name] = name === "end" ? value : value || 0;
    setTiming(target, next);
  }));
  write("Appear at", "start", start);
  write("Disappear at", "end", end);
  write("Fade in", "fade_in", fadeIn);
  write("Fade out", "fade_out", fadeOut);
  const field = (label, node, hint) => el("div", { class: "field" }, el("label", {}, label, node), hint ? el("p", { class: "field-hint" }, hint) : null);
  return [
    el("h4", { class: "ed-props-subtitle" }, "Timing"),
    el("div", { class: "field-row ed-timing-fields" },
       field("Appears at (s)", start), field("Gone at (s)", end, "Empty: until the scene ends"),
       field("Fade in (s)", fadeIn), field("Fade out (s)", fadeOut, `0–${limits.fade_max} s each`)),
  ];
}
