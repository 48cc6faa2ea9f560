// Fonts of text layers on the canvas: the bundled font ("Composer Text", regular and bold, editor.css) and the
// project's uploaded FONT assets, loaded once each as their own family so the canvas draws what the render draws.
import { findAsset } from "./doc.js";

const loading = new Map();      // asset id -> Promise<FontFace>
const ready = new Set();        // asset ids whose font the document has

export const BUNDLED_FAMILY = "Composer Text";
const HEAVY = /bold|black|heavy|medium/i;

export const familyOf = (assetId) => `composer-font-${assetId}`;

// Load a project font; `onReady` (a redraw) runs once it has loaded, and only while it has not.
export function loadFont(asset, onReady = null) {
  if (!asset?.font_url) return null;
  if (!loading.has(asset.asset_id)) {
    const face = new FontFace(familyOf(asset.asset_id), `url("${asset.font_url}")`);
    loading.set(asset.asset_id, face.load().then((loaded) => {
      document.fonts.add(loaded);
      ready.add(asset.asset_id);
      return loaded;
    }));
  }
  const promise = loading.get(asset.asset_id);
  if (onReady && !ready.has(asset.asset_id)) promise.then(onReady, () => {});
  return promise;
}

// The CSS of a text layer's font as the renderer picks it (composer/render/text.py): an uploaded font (bold drawn
// by the browser's emboldening, as the renderer's outline does), else the bundled font by weight or by name.
export function fontStyle(meta, config, onReady = null) {
  const asset = config.font_asset_id ? findAsset(meta, config.font_asset_id) : null;
  if (asset) {
    loadFont(asset, onReady);
    return { fontFamily: `"${familyOf(asset.asset_id)}", "${BUNDLED_FAMILY}"`,
             fontWeight: config.font_weight === "BOLD" ? "700" : "400" };
  }
  const bold = config.font_weight ? config.font_weight === "BOLD" : HEAVY.test(config.font_name || "") || !config.font_name;
  return { fontFamily: `"${BUNDLED_FAMILY}"`, fontWeight: bold ? "700" : "400" };
}

// Whether a text layer is drawn bold (what the weight picker shows when the layer has no font_weight).
export function isBold(config) {
  if (config.font_weight) return config.font_weight === "BOLD";
  return !config.font_asset_id && (HEAVY.test(config.font_name || "") || !config.font_name);
}
