// Transparency as the renderer makes it (composer/spec/transparency.py; the codecs and the fill colour arrive in the
// page data): a scene without background_config is see-through with a codec that keeps alpha (WebM, MOV) and
// filled with a flat colour in MP4.
import { el } from "../ui.js";

export const CODEC_NAMES = { H264: "MP4 (H.264)", VP8: "WebM (VP8)", QTRLE: "MOV (QTRLE)" };
export const ALPHA_SWITCH = "VP8";    // what "switch to a format with transparency" picks: plays in browsers

const rules = (meta) => meta.videoRules.transparency;
export const codecOf = (doc) => doc.video_config?.codec || "H264";
export const keepsAlpha = (meta, codec) => rules(meta).alphaCodecs.includes(codec || "H264");
export const hasBackground = (scene) => !!(scene?.background_config || []).length;
export const isSeeThrough = (meta, doc, scene) => !!scene && !hasBackground(scene) && keepsAlpha(meta, codecOf(doc));

// "WebM (VP8) and MOV (QTRLE)": the formats that keep transparency, named as the codec picker names them.
export function alphaFormats(meta) {
  const names = rules(meta).alphaCodecs.map((codec) => CODEC_NAMES[codec] || codec);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
}

export function fillName(meta) {
  const fill = rules(meta).flatFill.toUpperCase();
  return fill === "#FFFFFF" ? `white (${fill})` : fill;
}

// The checkerboard that stands for "see-through", sized in the element's own pixels (the canvas: layout pixels).
export function paintChecker(node, meta, on, cell = rules(meta).checker.cell) {
  node.classList.toggle("checkerboard", on);
  const [light, dark] = rules(meta).checker.colors;
  node.style.setProperty("--checker-cell", `${cell}px`);
  node.style.setProperty("--checker-light", light);
  node.style.setProperty("--checker-dark", dark);
}

// Switch the video to WebM: one undo step, checked by the server like any edit.
export function switchToAlpha(store) {
  store.apply(`Switch to ${CODEC_NAMES[ALPHA_SWITCH]}`, (draft) => {
    draft.video_config = { ...(draft.video_config || {}), codec: ALPHA_SWITCH };
  });
  store.seal();
}

// Beside a choice: which formats keep the see-through parts; with MP4, a warning and the offer to switch.
export function transparencyNotice(store, { scenes = null } = {}) {
  const { meta, doc } = store;
  const codec = codecOf(doc);
  const which = scenes ? `${scenes} ha${scenes.includes(" and ") ? "ve" : "s"} no background` : "No background";
  if (keepsAlpha(meta, codec)) {
    return el("div", { class: "notice small", "data-transparency": "kept" },
              `${which}: the video stays see-through there (shown as a checkerboard). ${CODEC_NAMES[codec]} keeps it; `
              + `MP4 (H.264) cannot and would fill it with ${fillName(meta)}.`);
  }
  const canSwitch = meta.canEdit;
  return el("div", { class: "notice notice-warn small", role: "status", "data-transparency": "lost" },
            el("p", {}, `${which}, but ${CODEC_NAMES[codec] || codec} has no transparency: the empty parts will be `
                        + `${fillName(meta)}. Only ${alphaFormats(meta)} keep them see-through.`),
            canSwitch ? el("button", { type: "button", class: "btn btn-small", "data-switch-alpha": true,
                                       onclick: () => switchToAlpha(store) }, `Switch to ${CODEC_NAMES[ALPHA_SWITCH]}`)
              : null);
}
