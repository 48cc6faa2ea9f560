// The canvas: the scene drawn with HTML elements at layout pixels (1920x1080 or 1080x1920) inside a stage scaled
// to fit, plus the selection frame, handles and snapping guides. A drag previews on the elements and commits one
// store.apply() at the end, so a drag is one undo step and one server check.
import { el } from "../ui.js";
import {
  BACKGROUND, IMPLICIT_AVATAR, avatarBox, avatarView, backgroundBox, backgroundOf, canvasOf, decodeText, drawOrder, findAsset,
  hasHuman, layerBox, layerKey, layerPosition, layerType, layersOf, materializeAvatar, removeLayer,
  setBackgroundBox, setLayerBox,
} from "./doc.js";
import { HANDLES, angleTowards, keepOnCanvas, resizeBox, snapBox, snapResize, snapTargets } from "./geometry.js";
import { isSeeThrough, paintChecker } from "./transparency.js";
import { fontStyle } from "./fonts.js";
import { slotAsset, withSamples } from "./variables.js";

const SNAP_PX = 6;          // screen pixels
const AVATAR_KEEP = 1;      // the avatar's figure box stays whole on the canvas: all four handles reachable
const naturals = new Map();       // image url -> {w, h}, once loaded

// The pixel size of a picture the canvas has loaded (null until then).
export function naturalSize(url) {
  return naturals.get(url) || null;
}

const hexAlpha = (hex, alpha) => {
  const n = parseInt((hex || "#000000").slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
};

// A text layer's look in CSS, from the same parameters the renderer draws (composer/render/layers.py TextDrawer):
// the box's padding lies inside the layer's width, lines are size x line_height apart, the shadow is text-shadow.
export function textCss(meta, layer, onFontReady = null) {
  const config = { ...(meta.textStyle?.defaults || {}), ...(layer.text_config || {}) };
  const size = config.font_size ?? 16;
  const css = { ...fontStyle(meta, config, onFontReady), fontSize: `${size}px`, lineHeight: `${size * (config.line_height ?? 1.3)}px`,
                color: config.font_color || "#FFFFFF", whiteSpace: layer.size?.width ? "pre-wrap" : "pre",
                textAlign: (config.text_align || "LEFT").toLowerCase(), boxSizing: "border-box", padding: "0",
                background: "none", textShadow: "none" };
  if (config.box_color) {
    css.background = hexAlpha(config.box_color, config.box_opacity ?? 1);
    css.padding = `${config.box_padding ?? 0}px`;
  }
  if (config.shadow_color) {
    css.textShadow = `${config.shadow_offset_x ?? 4}px ${config.shadow_offset_y ?? 4}px ${config.shadow_blur ?? 6}px ${config.shadow_color}`;
  }
  return css;
}

export function mountCanvas(root, store) {
  const stage = el("div", { class: "ed-stage", "data-stage": true });
  const overlay = el("div", { class: "ed-overlay", "aria-hidden": "true" });
  const sizer = el("div", { class: "ed-sizer" }, stage, overlay);
  root.replaceChildren(sizer);
  const nodes = new Map();          // selection key -> element
  let zoom = 1;
  let drag = null;

  const canvas = () => canvasOf(store.doc, store.meta);
  const editable = () => store.meta.canEdit;

  function fit() {
    const { width, height } = canvas();
    const style = getComputedStyle(root);
    const innerW = root.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const innerH = root.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const next = Math.max(0.05, Math.min(innerW / width, innerH / height));
    zoom = Number.isFinite(next) ? next : 1;
    for (const node of [stage, overlay]) {
      node.style.width = `${width}px`;
      node.style.height = `${height}px`;
      node.style.transform = `scale(${zoom})`;
    }
    sizer.style.width = `${Math.floor(width * zoom)}px`;
    sizer.style.height = `${Math.floor(height * zoom)}px`;
    sizer.style.setProperty("--z", zoom);
    sizer.dataset.zoom = zoom.toFixed(4);
  }

  function natural(url) {
    return naturals.get(url) || null;
  }

  function trackNatural(img, url) {
    if (naturals.has(url)) return;
    img.addEventListener("load", () => {
      naturals.set(url, { w: img.naturalWidth, h: img.naturalHeight });
      render();
    }, { once: true });
  }

  function picture(url, cls) {
    const img = el("img", { class: cls, src: url, alt: "", draggable: "false" });
    trackNatural(img, url);
    return img;
  }

  // The selected thing's box in layout pixels and its rotation.
  function boxOf(key, doc = store.doc) {
    const scene = doc.shoot_scripts[store.sceneIndex].shoot_script;
    if (key === BACKGROUND) {
      const background = backgroundOf(scene);
      const url = findAsset(store.meta, slotAsset(doc, background?.background_asset_id))?.image_url;
      return { ...backgroundBox(doc, store.meta, background, url && natural(url)), angle: 0 };
    }
    if (key === IMPLICIT_AVATAR) return { ...avatarBox(doc, store.meta), angle: 0 };
    const layer = layersOf(scene)[layerPosition(key)];
    if (!layer) return null;
    const angle = layer.rotation?.angle || 0;
    if (layer.layer_type === "TEXT") {
      const node = nodes.get(key);
      const box = layerBox(doc, store.meta, layer);
      return { x: box.x, y: box.y, w: node?.offsetWidth || box.w, h: node?.offsetHeight || box.h, angle };
    }
    const url = findAsset(store.meta, slotAsset(doc, layer.asset_id))?.image_url;
    return { ...layerBox(doc, store.meta, layer, url && natural(url)), angle };
  }

  const px = (v) => (typeof v === "number" ? `${v}px` : v);
  function place(node, box) {
    Object.assign(node.style, { left: px(box.x), top: px(box.y), width: px(box.w), height: px(box.h),
                                transform: box.angle ? `rotate(${box.angle}deg)` : "" });
    if (node.classList.contains("ed-layer-human")) frameAvatar(node, box);
  }

  // The avatar's node is its figure box, showing the rig's still where the compositor frames it: cut at the box's
  // lower edge, turned about the box's centre.
  function frameAvatar(node, box) {
    const view = avatarView(store.doc, store.meta, box);
    const img = node.querySelector(".ed-picture");
    if (!view || !img) return;
    node.style.overflow = "hidden";
    Object.assign(img.style, { position: "absolute", maxWidth: "none", left: px(view.canvas.x - box.x),
                               top: px(view.canvas.y - box.y), width: px(view.canvas.w), height: px(view.canvas.h) });
  }

  // A resized avatar shrinks about its anchored corner to fit the canvas, then moves fully onto it.
  function avatarInside(box, handle) {
    const { width, height } = canvas();
    const fit = Math.min(1, width / box.w, height / box.h);
    let out = box;
    if (fit < 1) {
      const [sx, sy] = HANDLES[handle];
      const w = box.w * fit;
      const h = box.h * fit;
      out = { ...box, w, h, x: sx > 0 ? box.x : box.x + box.w - w, y: sy > 0 ? box.y : box.y + box.h - h };
    }
    return keepOnCanvas(out, canvas(), AVATAR_KEEP);
  }

  function drawBackground(scene) {
    const background = backgroundOf(scene);
    // No background: a checkerboard where the video stays see-through, else the colour the render fills in.
    const seeThrough = isSeeThrough(store.meta, store.doc, scene);
    stage.style.background = seeThrough ? "" : background ? "#FFFFFF" : store.meta.videoRules.transparency.flatFill;
    paintChecker(stage, store.meta, seeThrough);
    stage.dataset.background = seeThrough ? "transparent" : background ? background.background_type.toLowerCase() : "fill";
    if (!background) return;
    if (background.background_type === "COLOR") {
      stage.style.background = background.background_color_config || "#FFFFFF";
      return;
    }
    const url = findAsset(store.meta, slotAsset(store.doc, background.background_asset_id))?.image_url;
    if (!url) return;
    const node = picture(url, "ed-bg");
    node.dataset.key = BACKGROUND;
    if (background.background_image_config || natural(url)) place(node, boxOf(BACKGROUND));
    else node.classList.add("ed-bg-cover");
    stage.append(node);
    nodes.set(BACKGROUND, node);
  }

  function layerNode(layer, key) {
    const node = el("div", { class: `ed-layer ed-layer-${layer.layer_type.toLowerCase()}`, "data-key": key,
                             "data-layer-type": layer.layer_type });
    if (layer.layer_type === "TEXT") {
      // A template's text layer shows its sample values, as the thumbnails and the render do.
      const text = el("div", { class: "ed-text" }, withSamples(store.doc, decodeText(layer.text_config?.text_context)));
      Object.assign(text.style, textCss(store.meta, layer, () => { if (!drag) render(); }));
      node.append(text);
      return node;
    }
    const asset = layer.layer_type === "HUMAN" ? findAsset(store.meta, store.doc.model_asset_id)
      : findAsset(store.meta, slotAsset(store.doc, layer.asset_id));
    if (asset?.image_url) node.append(picture(asset.image_url, "ed-picture"));
    else node.append(el("div", { class: "ed-placeholder" }, layerType(store.meta, layer.layer_type).label));
    return node;
  }

  // What the canvas shows; a change elsewhere (the script text, voice, music) does not redraw it.
  const signature = () => {
    const scene = store.scene();
    return JSON.stringify([store.sceneIndex, store.selection, store.doc.model_asset_id, store.doc.video_config,
                           scene && { ...scene, text_config: null }, store.doc.template?.variables]);
  };
  let drawn = "";
  function update() {
    if (drag || signature() === drawn) return;
    render();
  }

  function render() {
    drawn = signature();
    fit();
    nodes.clear();
    stage.replaceChildren();
    const scene = store.scene();
    if (!scene) return;
    drawBackground(scene);
    if (!hasHuman(scene)) {
      const avatar = findAsset(store.meta, store.doc.model_asset_id);
      const node = el("div", { class: "ed-layer ed-layer-human", "data-key": IMPLICIT_AVATAR, "data-layer-type": "HUMAN" },
                      avatar?.image_url ? picture(avatar.image_url, "ed-picture") : el("div", { class: "ed-placeholder" }, "Avatar"));
      stage.append(node);
      nodes.set(IMPLICIT_AVATAR, node);
    }
    for (const position of drawOrder(scene)) {
      const layer = layersOf(scene)[position];
      const key = layerKey(position);
      const node = layerNode(layer, key);
      stage.append(node);
      nodes.set(key, node);
      if (layer.layer_type !== "TEXT") place(node, boxOf(key));
      else place(node, { ...boxOf(key), w: layer.size?.width || "auto", h: "auto" });
    }
    if (nodes.has(IMPLICIT_AVATAR)) place(nodes.get(IMPLICIT_AVATAR), boxOf(IMPLICIT_AVATAR));
    drawSelection();
  }

  function drawSelection(box = null, guides = []) {
    overlay.replaceChildren();
    const key = store.selection;
    if (!key || !nodes.has(key)) return;
    const frame = box || boxOf(key);
    if (!frame) return;
    const node = el("div", { class: "ed-frame", "data-frame": key });
    place(node, frame);
    const kind = key === BACKGROUND ? null : key === IMPLICIT_AVATAR ? "HUMAN"
      : layersOf(store.scene())[layerPosition(key)]?.layer_type;
    const movable = key !== BACKGROUND || backgroundOf(store.scene())?.background_type === "IMAGE";
    if (editable() && movable) {
      for (const name of Object.keys(HANDLES)) {
        node.append(el("span", { class: `ed-handle ed-handle-${name}`, "data-handle": name }));
      }
      if (kind && layerType(store.meta, kind).can_rotate && key !== IMPLICIT_AVATAR) {
        node.append(el("span", { class: "ed-rotate", "data-handle": "rotate", title: "Rotate (Shift: 15° steps)" }));
      }
    }
    overlay.append(node);
    const { width, height } = canvas();
    for (const guide of guides) {
      const line = el("div", { class: `ed-guide ed-guide-${guide.axis}` });
      if (guide.axis === "x") Object.assign(line.style, { left: `${guide.at}px`, top: "0", height: `${height}px` });
      else Object.assign(line.style, { top: `${guide.at}px`, left: "0", width: `${width}px` });
      overlay.append(line);
    }
  }

  // Snap the box's edges and centre to the canvas edges and centre lines and to other layers' edges.
  function targetsFor(key) {
    const others = [...nodes.keys()].filter((k) => k !== key && k !== BACKGROUND).map((k) => boxOf(k)).filter(Boolean);
    return snapTargets(canvas(), others);
  }

  function snap(box, key) {
    return snapBox(box, targetsFor(key), SNAP_PX / zoom);
  }

  const isAvatar = (key) => key === IMPLICIT_AVATAR
    || layersOf(store.scene())[layerPosition(key)]?.layer_type === "HUMAN";
  const keepsAspect = (key, event) => key === BACKGROUND || isAvatar(key)
    || (!event.shiftKey && ["IMAGE", "VIDEO"].includes(layersOf(store.scene())[layerPosition(key)]?.layer_type));

  function rotated(start, event) {
    const bounds = stage.getBoundingClientRect();
    const centre = { x: bounds.left + (start.x + start.w / 2) * zoom, y: bounds.top + (start.y + start.h / 2) * zoom };
    return { ...start, angle: angleTowards(centre, { x: event.clientX, y: event.clientY }, event.shiftKey ? 15 : 1) };
  }

  function onPointerDown(event) {
    if (event.button !== 0) return;
    const handle = event.target.closest("[data-handle]")?.dataset.handle;
    const hit = event.target.closest("[data-key]")?.dataset.key;
    let key = handle ? store.selection : hit && hit !== BACKGROUND ? hit : BACKGROUND;
    const wasSelected = key === store.selection;
    if (!wasSelected) store.select(key);
    if (!editable() || !key) return;
    // The background moves only once it is selected (a stray drag on an empty area selects, never moves it).
    if (key === BACKGROUND && !wasSelected) return;
    if (key === BACKGROUND && backgroundOf(store.scene())?.background_type !== "IMAGE") return;
    event.preventDefault();
    const start = boxOf(key);
    drag = { key, mode: handle || "move", start, current: start, x: event.clientX, y: event.clientY, moved: false };
    sizer.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event) {
    if (!drag) return;
    const dx = (event.clientX - drag.x) / zoom;
    const dy = (event.clientY - drag.y) / zoom;
    if (!drag.moved && Math.hypot(dx * zoom, dy * zoom) < 3) return;
    drag.moved = true;
    let box;
    let guides = [];
    if (drag.mode === "move") {
      box = { ...drag.start, x: drag.start.x + dx, y: drag.start.y + dy };
      if (!event.altKey) ({ box, guides } = snap(box, drag.key));       // Alt: place freely
      if (isAvatar(drag.key)) box = keepOnCanvas(box, canvas(), AVATAR_KEEP);
    } else if (drag.mode === "rotate") {
      box = rotated(drag.start, event);
    } else {
      const aspect = keepsAspect(drag.key, event);
      box = resizeBox(drag.start, drag.mode, dx, dy, aspect);
      if (!event.altKey && !drag.start.angle) {
        ({ box, guides } = snapResize(box, drag.mode, targetsFor(drag.key), SNAP_PX / zoom, aspect));
      }
      if (isAvatar(drag.key) && !drag.start.angle) box = avatarInside(box, drag.mode);
    }
    drag.current = box;
    const node = nodes.get(drag.key);
    if (node?.classList.contains("ed-layer-text")) {
      const fixed = layersOf(store.scene())[layerPosition(drag.key)]?.size?.width;
      const free = drag.mode === "move" || drag.mode === "rotate";
      place(node, { ...box, w: free ? (fixed ?? "auto") : box.w, h: "auto" });
    } else if (node) {
      node.classList.remove("ed-bg-cover");
      place(node, box);
    }
    drawSelection(box, guides);
  }

  function onPointerUp() {
    if (!drag) return;
    const { key, mode, current, moved } = drag;
    drag = null;
    if (!moved) { drawSelection(); return; }
    const free = mode === "move" || mode === "rotate";
    commit(key, current, { label: mode === "move" ? "Move" : mode === "rotate" ? "Rotate" : "Resize",
                           keepTextWidth: free });
    store.seal();
    store.validateNow();
  }

  // Write a box into the doc: background, implicit avatar (made explicit) or layer.
  function commit(key, box, { label, keepTextWidth = false } = {}) {
    store.apply(`${label} ${key}`, (draft) => {
      const scene = draft.shoot_scripts[store.sceneIndex].shoot_script;
      if (key === BACKGROUND) {
        setBackgroundBox(backgroundOf(scene), box);
        return;
      }
      let position = layerPosition(key);
      if (key === IMPLICIT_AVATAR) position = materializeAvatar(draft, store.meta, scene);
      const layer = scene.layer_config[position];
      if (layer.layer_type === "TEXT" && keepTextWidth) {
        layer.position = { ...(layer.position || {}), dx: Math.round(box.x), dy: Math.round(box.y) };
      } else {
        setLayerBox(layer, box);
      }
      if (box.angle) layer.rotation = { angle: Math.round(box.angle) % 360 };
      else if (layer.rotation) delete layer.rotation;
    });
    if (key === IMPLICIT_AVATAR) {
      const scene = store.scene();
      const human = layersOf(scene).findIndex((layer) => layer.layer_type === "HUMAN");
      if (human >= 0) store.select(layerKey(human));
    }
  }

  // Keyboard nudges (Shift = 10 px) and Delete, used by the page's key handler.
  function nudge(dx, dy) {
    const key = store.selection;
    if (!key || !editable()) return;
    if (key === BACKGROUND && backgroundOf(store.scene())?.background_type !== "IMAGE") return;
    const box = boxOf(key);
    if (!box) return;
    commit(key, { ...box, x: box.x + dx, y: box.y + dy }, { label: "Nudge", keepTextWidth: true });
  }

  function removeSelection() {
    const position = layerPosition(store.selection);
    if (position < 0 || !editable()) return false;
    store.apply("Delete layer", (draft) => removeLayer(draft.shoot_scripts[store.sceneIndex].shoot_script, position));
    store.select(null);
    return true;
  }

  sizer.addEventListener("pointerdown", onPointerDown);
  sizer.addEventListener("pointermove", onPointerMove);
  sizer.addEventListener("pointerup", onPointerUp);
  sizer.addEventListener("pointercancel", onPointerUp);
  new ResizeObserver(() => { if (!drag) render(); }).observe(root);
  store.subscribe(update);
  render();

  return { render, nudge, removeSelection, boxOf, stage, sizer, zoom: () => zoom };
}
