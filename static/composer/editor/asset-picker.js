// Choosing a picture for an image layer: the project's pictures (and the built-in ones) or a new upload, in the
// studio's dialog. Also the one rule for a picked picture's box: its width stays, its height follows the picture.
import { upload } from "../api.js";
import { el } from "../ui.js";
import { submitting } from "../work-common.js";
import { assetGroups, findAsset } from "./doc.js";
import { naturalSize } from "./canvas.js";

const ACCEPT = "image/png,image/jpeg,image/webp,image/gif";

// The pixel size of a picture: the library's record, else what the canvas has loaded.
export function pictureSize(meta, assetId) {
  const asset = findAsset(meta, assetId);
  if (!asset) return null;
  const width = asset.width || asset.asset_extra_meta?.image_meta?.width;
  const height = asset.height || asset.asset_extra_meta?.image_meta?.height;
  if (width && height) return { w: width, h: height };
  return asset.image_url ? naturalSize(asset.image_url) : null;
}

// The box height that gives `width` the picture's shape (null when its size is unknown).
export function aspectHeight(meta, assetId, width) {
  const size = pictureSize(meta, assetId);
  return size && width ? Math.max(1, Math.round((width * size.h) / size.w)) : null;
}

let dialog = null;

// Resolves with the chosen (or uploaded) IMAGE asset, or null when the dialog is closed without a choice.
export function pickImage(store) {
  const meta = store.meta;
  if (!dialog) {
    dialog = el("dialog", { class: "ed-picker", "data-image-picker": true, "aria-labelledby": "image-picker-title" });
    document.body.append(dialog);
  }
  return new Promise((resolve) => {
    let chosen = null;
    const choose = (asset) => { chosen = asset; dialog.close(); };
    const tile = (asset) => el("li", {},
      el("button", { type: "button", class: "ed-pick-tile", "data-pick-asset": asset.asset_id, title: asset.asset_name || "",
                     onclick: () => choose(asset) },
        el("img", { src: asset.image_url, alt: "", loading: "lazy" }),
        el("span", { class: "small" }, asset.asset_name || asset.asset_id)));
    const { own, presets } = assetGroups(meta, "IMAGE");
    const file = el("input", { type: "file", name: "file", accept: ACCEPT, "data-pick-upload": true });
    const form = el("form", { method: "dialog", novalidate: true },
      el("h2", { id: "image-picker-title" }, "Add an image"),
      el("p", { class: "muted small" }, "Choose one of the project's pictures or upload a new one. The layer takes the picture's shape."),
      el("h3", { class: "ed-picker-group" }, "This project's pictures"),
      own.length ? el("ul", { class: "ed-pick-grid" }, ...own.map(tile))
        : el("p", { class: "muted small", "data-pick-empty": true }, "No pictures uploaded yet."),
      el("div", { class: "field" }, el("label", {}, "Upload a picture (PNG, JPEG, WebP or GIF)", file)),
      presets.length ? el("details", { class: "ed-picker-presets" }, el("summary", {}, "Built-in pictures"),
                          el("ul", { class: "ed-pick-grid" }, ...presets.map(tile))) : null,
      el("div", { class: "dialog-actions" },
        el("button", { type: "button", class: "btn", onclick: () => dialog.close() }, "Cancel")));
    file.addEventListener("change", () => {
      if (!file.files.length) return;
      submitting(form, null, async () => {
        const body = new FormData();
        body.append("file", file.files[0]);
        body.append("asset_type", "IMAGE");
        body.append("asset_name", (file.files[0].name.replace(/\.[^.]+$/, "") || "Picture").slice(0, 256));
        const asset = await upload(`/v1/${meta.projectId}/digital-assets/upload?asset_type=IMAGE`, body);
        asset.image_url = meta.urls.assetImage.replace("ASSET_ID", asset.asset_id);
        meta.assets = [...(meta.assets || []), asset];
        choose(asset);
      });
    });
    dialog.replaceChildren(form);
    dialog.addEventListener("close", () => resolve(chosen), { once: true });
    dialog.showModal();
  });
}
