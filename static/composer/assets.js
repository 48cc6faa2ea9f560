// Asset library: type chips, a grid of cards that pages with "Load more", a detail dialog with a player,
// rename/tags and delete, and drag-and-drop uploads with a progress bar per file.
import { ApiError, projectApi, upload } from "./api.js";
import { clearErrors, el, formatBytes, formatDate, formatDuration, pageData, showFieldError,
         toast } from "./ui.js";
import { pageDialogs, sayError, submitting } from "./work-common.js";

const data = pageData();
const api = projectApi(data.project_id);
const typeLabel = Object.fromEntries(data.types.map((t) => [t.value, t.label]));
const PICTURED = new Set(["IMAGE", "VIDEO", "HUMAN_MODEL_2D"]);
// The upload type a file name suggests; the server still judges the file by its bytes.
const TYPE_BY_EXTENSION = {
  png: "IMAGE", jpg: "IMAGE", jpeg: "IMAGE", webp: "IMAGE", mp4: "VIDEO", mov: "VIDEO", webm: "VIDEO", mkv: "VIDEO",
  mp3: "AUDIO", wav: "AUDIO", m4a: "AUDIO", aac: "AUDIO", ogg: "AUDIO", flac: "AUDIO", ttf: "FONT", otf: "FONT",
  ttc: "FONT",
};
const STATE_BADGES = { CREATING: ["Creating", "state-processing"], FAILED: ["Failed", "state-failed"] };

const grid = document.querySelector("[data-grid]");
const moreButton = document.querySelector("[data-load-more]");
const filter = { type: "", presets: true, offset: 0, total: 0 };
const dialogs = pageDialogs();
const shown = new Map();

function pictureUrl(asset) {
  if (asset.cover_url) return asset.cover_url;
  if (!PICTURED.has(asset.asset_type) || asset.asset_state !== "ACTIVED") return null;
  return data.image_url.replace("ASSET_ID", encodeURIComponent(asset.asset_id));
}

function mainFileUrl(asset) {
  return asset.files.find((file) => file.asset_file_category === "MAIN")?.download_url || null;
}

function sizeLine(asset) {
  const parts = [typeLabel[asset.asset_type] || asset.asset_type];
  if (asset.duration) parts.push(formatDuration(asset.duration));
  if (asset.width && asset.height && asset.asset_type !== "HUMAN_MODEL_2D") parts.push(`${asset.width}×${asset.height}`);
  if (asset.size_bytes) parts.push(formatBytes(asset.size_bytes));
  return parts.join(" · ");
}

function card(asset) {
  const url = pictureUrl(asset);
  const thumb = el("div", { class: `asset-thumb${asset.asset_type === "HUMAN_MODEL_2D" ? " is-avatar" : ""}` },
    url ? el("img", { src: url, alt: "", loading: "lazy" }) : el("span", { "aria-hidden": "true" },
      (typeLabel[asset.asset_type] || "").toUpperCase()));
  const state = STATE_BADGES[asset.asset_state];
  if (state) thumb.append(el("span", { class: `badge ${state[1]}` }, state[0]));
  else if (asset.is_preset) thumb.append(el("span", { class: "badge badge-builtin" }, "Built-in"));
  return el("button", { type: "button", class: "asset-card", "data-asset": asset.asset_id,
                        "data-type": asset.asset_type, onclick: () => openAsset(asset.asset_id) },
    thumb,
    el("div", { class: "asset-body" },
      el("span", { class: "asset-name", title: asset.asset_name }, asset.asset_name),
      el("span", { class: "muted small" }, sizeLine(asset)),
      asset.asset_state === "FAILED" && asset.reason ? el("span", { class: "asset-reason" }, asset.reason) : null));
}

function renderCount() {
  document.querySelector("[data-count]").textContent = filter.total
    ? `${filter.total} asset${filter.total === 1 ? "" : "s"}` : "";
  document.querySelector("[data-empty]").hidden = filter.total > 0;
  moreButton.hidden = filter.offset >= filter.total;
}

// Each reset starts a new generation: answers to older requests (a chip clicked twice) are dropped.
let generation = 0;

async function load({ reset = false } = {}) {
  if (reset) {
    generation += 1;
    filter.offset = 0;
    shown.clear();
    grid.replaceChildren();
  }
  const mine = generation;
  const query = new URLSearchParams({ offset: filter.offset, limit: data.page_size,
                                      include_presets: String(filter.presets) });
  if (filter.type) query.set("asset_type", filter.type);
  moreButton.disabled = true;
  try {
    const page = await api.get(`/digital-assets?${query}`);
    if (mine !== generation) return;
    filter.total = page.count;
    // After a reset the page's own length (an upload may have counted itself in meanwhile; it is in the page).
    filter.offset = (reset ? 0 : filter.offset) + page.assets.length;
    for (const asset of page.assets) {
      // An upload that finished while this page was on its way already has its card.
      if (grid.querySelector(`[data-asset="${CSS.escape(asset.asset_id)}"]`)) continue;
      shown.set(asset.asset_id, asset);
      grid.append(card(asset));
    }
    renderCount();
  } catch (error) {
    toast(sayError(error), { kind: "error" });
  } finally {
    moreButton.disabled = false;
  }
}

for (const chip of document.querySelectorAll("[data-chips] [data-type]")) {
  chip.addEventListener("click", () => {
    for (const other of document.querySelectorAll("[data-chips] [data-type]")) {
      other.setAttribute("aria-pressed", String(other === chip));
    }
    filter.type = chip.dataset.type;
    load({ reset: true });
  });
}
document.querySelector("[data-include-presets]").addEventListener("change", (event) => {
  filter.presets = event.target.checked;
  load({ reset: true });
});
moreButton.addEventListener("click", () => load());

// A new or changed asset: replace its card, or put a new one first when it belongs to the current filter.
function showAsset(asset) {
  shown.set(asset.asset_id, asset);
  const existing = grid.querySelector(`[data-asset="${CSS.escape(asset.asset_id)}"]`);
  if (existing) existing.replaceWith(card(asset));
  else if (!filter.type || filter.type === asset.asset_type) {
    const firstOwn = [...grid.children].find((node) => !shown.get(node.dataset.asset)?.is_preset);
    grid.insertBefore(card(asset), firstOwn || null);
    filter.total += 1;
    filter.offset += 1;
    renderCount();
  }
}

// Detail dialog
function player(asset) {
  const file = mainFileUrl(asset);
  const picture = pictureUrl(asset);
  if (asset.asset_type === "VIDEO" && file) return el("video", { src: file, controls: true, preload: "metadata", poster: picture });
  if ((asset.asset_type === "MUSIC" || asset.asset_type === "AUDIO") && file) return el("audio", { src: file, controls: true, preload: "metadata" });
  if (picture) return el("img", { src: picture, alt: asset.asset_name });
  if (asset.asset_type === "VOICE_MODEL" && asset.asset_state === "ACTIVED") return voiceSample(asset);
  return el("p", { class: "muted small" }, asset.asset_type === "FONT" ? "Font file" : "No preview for this type");
}

// A voice has no file to play: the server speaks a short sample with it, as a render would.
function voiceSample(asset) {
  const box = el("div", { class: "voice-sample" });
  const button = el("button", { class: "btn btn-small", type: "button", "data-voice-sample": true }, "Play a sample");
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Speaking…";
    try {
      const wav = await api.post("/voice-samples", { voice_asset_id: asset.asset_id,
                                                     text: "Hello! This is how I sound in your videos." });
      const audio = el("audio", { src: URL.createObjectURL(wav), controls: true, autoplay: true });
      box.replaceChildren(audio);
    } catch (error) {
      button.disabled = false;
      button.textContent = "Play a sample";
      box.append(el("p", { class: "field-error", role: "alert" }, sayError(error)));
    }
  });
  box.append(button);
  return box;
}

function facts(asset) {
  const rows = [["Type", typeLabel[asset.asset_type]], ["State", asset.asset_state === "ACTIVED" ? "Ready" : asset.asset_state],
    ["Reason", asset.reason], ["Details", sizeLine(asset)], ["File", asset.file_name],
    ["Added", asset.create_time && formatDate(asset.create_time)], ["Tags", (asset.tags || []).join(", ")],
    ["Asset id", asset.asset_id]];
  return rows.filter(([, value]) => value).flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]);
}

function openAsset(assetId) {
  const asset = shown.get(assetId);
  const dialog = dialogs.asset;
  const form = dialog.querySelector("form");
  clearErrors(form);
  form.dataset.target = assetId;
  dialog.querySelector("[data-asset-title]").textContent = asset.asset_name;
  dialog.querySelector("[data-player]").replaceChildren(player(asset));
  dialog.querySelector("[data-facts]").replaceChildren(...facts(asset));
  const editable = data.can_edit && !asset.is_preset && asset.asset_state !== "DELETED";
  dialog.querySelector("[data-edit-fields]").hidden = !editable;
  dialog.querySelector("[data-save-asset]").hidden = !editable;
  dialog.querySelector("[data-delete-asset]").hidden = !(data.can_delete && !asset.is_preset);
  form.elements.asset_name.value = asset.asset_name;
  form.elements.tags.value = (asset.tags || []).join(", ");
  dialog.showModal();
}

dialogs.asset.addEventListener("close", () => {
  for (const media of dialogs.asset.querySelectorAll("audio, video")) media.pause();
});

dialogs.asset.querySelector("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  const body = { asset_name: form.elements.asset_name.value.trim(),
                 tags: form.elements.tags.value.split(",").map((tag) => tag.trim()).filter(Boolean) };
  if (!body.asset_name) {
    showFieldError(form, "asset_name", "Give the asset a name (1 to 256 characters).");
    return;
  }
  await submitting(form, form.querySelector("[data-save-asset]"), async () => {
    showAsset(await api.put(`/digital-assets/${encodeURIComponent(form.dataset.target)}`, body));
    dialogs.asset.close();
    toast("Asset saved", { kind: "success" });
  });
});

dialogs.asset.querySelector("[data-delete-asset]").addEventListener("click", () => {
  const assetId = dialogs.asset.querySelector("form").dataset.target;
  const form = dialogs.delete.querySelector("form");
  clearErrors(form);
  form.dataset.target = assetId;
  dialogs.delete.querySelector("[data-delete-name]").textContent = shown.get(assetId).asset_name;
  const uses = data.kit_uses[assetId] || [];
  const kitNote = dialogs.delete.querySelector("[data-delete-kit]");
  kitNote.hidden = !uses.length;
  kitNote.querySelector("[data-kit-uses]").textContent = uses.join(" and ");
  dialogs.delete.showModal();
});

dialogs.delete.querySelector("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  await submitting(form, form.querySelector("[type=submit]"), async () => {
    const answer = {};
    await api.del(`/digital-assets/${encodeURIComponent(form.dataset.target)}`, { answer });
    // The brand kit lets go of a deleted asset; the answer names the kit's fields it left.
    const leftKit = (answer.headers?.get("X-Brand-Kit-Removed") || "").split(",").filter(Boolean);
    delete data.kit_uses[form.dataset.target];
    grid.querySelector(`[data-asset="${CSS.escape(form.dataset.target)}"]`)?.remove();
    shown.delete(form.dataset.target);
    filter.total -= 1;
    filter.offset -= 1;
    renderCount();
    dialogs.delete.close();
    dialogs.asset.close();
    toast(leftKit.length ? `Asset deleted and taken out of the brand kit (${
      leftKit.map((field) => data.kit_labels[field] || field).join(", ")}).` : "Asset deleted",
          { kind: "success", timeout: leftKit.length ? 8000 : 4000 });
  });
});

// Uploads
const uploads = document.querySelector("[data-uploads]");

function uploadFile(file) {
  const chosen = document.querySelector("[data-upload-type]").value;
  const extension = file.name.includes(".") ? file.name.split(".").pop().toLowerCase() : "";
  const assetType = chosen || TYPE_BY_EXTENSION[extension];
  const bar = el("span", { style: "width: 0%" });
  const status = el("span", { class: "small muted nowrap" }, "Waiting");
  const row = el("li", { class: "upload-row", "data-upload": file.name },
    el("span", { class: "upload-name", title: file.name }, file.name),
    el("div", { class: "bar", role: "progressbar", "aria-label": `Upload of ${file.name}`, "aria-valuemin": 0,
                "aria-valuemax": 100, "aria-valuenow": 0 }, bar), status);
  uploads.prepend(row);
  const fail = (message) => {
    row.classList.add("is-failed");
    status.textContent = "Rejected";
    row.append(el("p", { class: "field-error", role: "alert" }, message));
  };
  if (!assetType) {
    fail(`Cannot tell the type of “.${extension || "(no extension)"}” files: choose one in “Upload as” and drop it again.`);
    return;
  }
  const form = new FormData();
  form.append("file", file);
  form.append("asset_type", assetType);
  form.append("asset_name", (file.name.replace(/\.[^.]+$/, "") || file.name).slice(0, 256));
  status.textContent = "Uploading";
  upload(`${api.url("/digital-assets/upload")}?asset_type=${assetType}`, form, {
    onProgress: (fraction) => {
      const percent = Math.round(fraction * 100);
      bar.style.width = `${percent}%`;
      row.querySelector("[role=progressbar]").setAttribute("aria-valuenow", percent);
      status.textContent = percent < 100 ? `${percent}%` : "Checking…";
    },
  }).then((asset) => {
    bar.style.width = "100%";
    row.querySelector("[role=progressbar]").setAttribute("aria-valuenow", 100);
    row.classList.add("is-done");
    status.textContent = "Added";
    showAsset(asset);
  }).catch((error) => fail(error instanceof ApiError ? sayError(error) : String(error)));
}

const dropzone = document.querySelector("[data-dropzone]");
if (dropzone) {
  const input = document.querySelector("[data-upload-input]");
  input.addEventListener("change", () => {
    [...input.files].forEach(uploadFile);
    input.value = "";
  });
  for (const name of ["dragenter", "dragover"]) {
    dropzone.addEventListener(name, (event) => { event.preventDefault(); dropzone.classList.add("is-over"); });
  }
  for (const name of ["dragleave", "drop"]) {
    dropzone.addEventListener(name, () => dropzone.classList.remove("is-over"));
  }
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault();
    [...event.dataTransfer.files].forEach(uploadFile);
  });
}

load({ reset: true });
