// The brand kit in the editor (page data `brandKit`, composer/assets/brand.py): its fonts listed first in a text
// layer's font picker, its palette as swatches beside every colour the editor picks (text, box and shadow colours,
// a scene's background colour, the subtitles' text and outline colours), and a gentle note when a colour is not
// one of the kit's. The approver's
// page lists what is outside the kit from the server (composer/spec/brand.py).
import { el } from "../ui.js";

const kitOf = (store) => store.meta.brandKit || { palette: [], font_asset_ids: [] };

// [the kit's fonts in the kit's order, the project's other fonts]
export function kitFontsFirst(store, fonts) {
  const ids = kitOf(store).font_asset_ids;
  const kit = ids.map((id) => fonts.find((asset) => asset.asset_id === id)).filter(Boolean);
  return [kit, fonts.filter((asset) => !ids.includes(asset.asset_id))];
}

// Swatches of the kit's palette for one colour field; `pick(colour)` sets it. Null without a palette.
export function paletteSwatches(store, name, value, pick) {
  const palette = kitOf(store).palette;
  if (!palette.length) return null;
  const upper = (value || "").toUpperCase();
  return el("span", { class: "ed-brand-colours", "data-brand-colours": name },
    ...palette.map((colour) => el("button", {
      type: "button", class: "ed-swatch", title: colour, "aria-label": `Brand colour ${colour}`,
      "data-brand-colour": colour, "aria-pressed": String(colour === upper), style: `background-color: ${colour}`,
      onclick: () => pick(colour) })),
    upper && !palette.includes(upper) ? el("span", { class: "ed-brand-note", "data-off-kit": name },
      " Not a brand kit colour.") : null);
}
