// Presenter builder: start from a built-in or saved presenter, pick each part, watch the engine's preview,
// name it and save it into the asset library. Choices are checked by the server (previews and create).
import { ApiError, projectApi } from "./api.js";
import { clearErrors, el, pageData, showFieldError, toast } from "./ui.js";
import { plainMessage } from "./work-common.js";

const data = pageData();
const api = projectApi(data.project_id);
const form = document.querySelector("[data-builder]");
const controls = document.querySelector("[data-controls]");
const starts = document.querySelector("[data-starts]");
const stage = document.querySelector("[data-stage]");
const image = document.querySelector("[data-preview]");
const status = document.querySelector("[data-status]");
const saveButton = document.querySelector("[data-save]");
const saved = document.querySelector("[data-saved]");
const nameInput = form.elements.name;

const PREVIEW_DELAY_MS = 220;
const PREVIEW_WIDTH = Math.min(720, Math.round(360 * Math.min(2, window.devicePixelRatio || 1)));
const THUMB_WIDTH = 160;
const HEX = /^#[0-9A-Fa-f]{6}$/;

const optionsOf = (field) => data.options[field] || [];
const fieldKey = (field) => `choices.${field}`;

// Where the choices may start: the built-in presenters, the project's own (from their meta), a blank one.
const startItems = [
  ...data.presets.map((preset) => ({ key: preset.asset_id, name: preset.name, choices: preset.choices,
                                     note: "Built-in" })),
  ...data.own.map((own) => ({ key: own.asset_id, name: own.name, choices: own.choices, note: "Yours",
                              image: own.image_url })),
  { key: "blank", name: "Blank", choices: data.blank, note: "Plain start" },
];

let choices = { ...(startItems.find((item) => item.key === data.start) || startItems[0]).choices };
let startKey = (startItems.find((item) => item.key === data.start) || startItems[0]).key;

// Start cards ---------------------------------------------------------------------------------------------
function renderStarts() {
  starts.replaceChildren(...startItems.map((item) => {
    const thumb = el("span", { class: "start-thumb" },
      item.key === "blank" ? el("span", { class: "start-blank", "aria-hidden": "true" }, "+") : null);
    if (item.image) thumb.append(el("img", { src: item.image, alt: "", loading: "lazy" }));
    return el("button", { type: "button", class: "start-card", role: "radio", "aria-checked": String(item.key === startKey),
                          dataset: { start: item.key }, onclick: () => startFrom(item) },
      thumb, el("span", { class: "start-name" }, item.name), el("span", { class: "muted small" }, item.note));
  }));
}

function startFrom(item) {
  startKey = item.key;
  choices = { ...item.choices };
  for (const card of starts.querySelectorAll("[data-start]")) {
    card.setAttribute("aria-checked", String(card.dataset.start === startKey));
  }
  renderPickers();
  schedulePreview();
}

// Built-in starts show the engine's own small still, drawn one after another once the main preview is in.
async function loadStartThumbs() {
  for (const item of startItems) {
    if (item.image || item.key === "blank") continue;
    try {
      const blob = await api.post("/presenter-previews", { choices: item.choices, width: THUMB_WIDTH });
      const thumb = starts.querySelector(`[data-start="${CSS.escape(item.key)}"] .start-thumb`);
      item.image = URL.createObjectURL(blob);
      thumb?.append(el("img", { src: item.image, alt: "" }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
}

// Pickers ----------------------------------------------------------------------------------------------------
const gradient = (colours) => (colours.length > 1
  ? `linear-gradient(135deg, ${colours.join(", ")})` : colours[0]);

function choose(field, value) {
  choices = { ...choices, [field]: value };
  startKey = "";
  for (const card of starts.querySelectorAll("[data-start]")) card.setAttribute("aria-checked", "false");
  markPicker(field);
  schedulePreview();
}

function choiceButtons(field) {
  return optionsOf(field.id).map((option) => el("button", {
    type: "button", class: "option-button", "aria-pressed": "false", dataset: { value: option.id },
    onclick: () => choose(field.id, option.id) }, option.label));
}

function swatchButtons(field) {
  const swatches = optionsOf(field.id).map((option) => el("button", {
    type: "button", class: "swatch", "aria-pressed": "false", title: option.label, "aria-label": option.label,
    dataset: { value: option.id }, style: `background: ${gradient(option.colours || [])}`,
    onclick: () => choose(field.id, option.id) }));
  if (field.custom_colour) {
    const picker = el("input", { type: "color", class: "visually-hidden", id: `custom-${field.id}`,
                                 "aria-label": `Any ${field.label.toLowerCase()}` });
    picker.addEventListener("input", () => choose(field.id, picker.value.toUpperCase()));
    swatches.push(el("label", { class: "swatch swatch-custom", for: picker.id, title: "Any colour",
                                dataset: { custom: "" } }, picker, el("span", { "aria-hidden": "true" }, "+")));
  }
  return swatches;
}

function renderPickers() {
  controls.replaceChildren(...data.fields.map((field) => {
    const group = el("div", { class: `picker-options picker-${field.kind}`, role: "group",
                              "aria-labelledby": `picker-${field.id}`, dataset: { field: fieldKey(field.id) } },
      field.kind === "colour" ? swatchButtons(field) : choiceButtons(field));
    const current = el("span", { class: "picker-current muted small", dataset: { current: field.id } });
    return el("section", { class: "picker", dataset: { picker: field.id } },
      el("div", { class: "picker-head" }, el("h3", { id: `picker-${field.id}` }, field.label), current), group);
  }));
  for (const field of data.fields) markPicker(field.id);
}

function markPicker(fieldId) {
  const section = controls.querySelector(`[data-picker="${CSS.escape(fieldId)}"]`);
  if (!section) return;
  const value = choices[fieldId];
  const known = optionsOf(fieldId).find((option) => option.id === value);
  for (const button of section.querySelectorAll("[data-value]")) {
    button.setAttribute("aria-pressed", String(button.dataset.value === value));
  }
  const custom = section.querySelector("[data-custom]");
  if (custom) {
    const isCustom = !known && HEX.test(value || "");
    custom.classList.toggle("is-selected", isCustom);
    custom.style.background = isCustom ? value : "";
    if (isCustom) custom.querySelector("input").value = value.toLowerCase();
  }
  section.querySelector("[data-current]").textContent = known ? known.label : value || "";
}

// Preview ----------------------------------------------------------------------------------------------------
let timer = 0;
let inFlight = null;
let revision = 0;

function schedulePreview() {
  clearTimeout(timer);
  stage.setAttribute("aria-busy", "true");
  status.textContent = "Updating…";
  timer = setTimeout(refreshPreview, PREVIEW_DELAY_MS);
}

async function refreshPreview() {
  inFlight?.abort();
  const request = new AbortController();
  inFlight = request;
  try {
    const blob = await api.post("/presenter-previews", { choices, width: PREVIEW_WIDTH }, { signal: request.signal });
    if (inFlight !== request) return;
    const previous = image.src;
    // The old picture stays until the new one has decoded, so the stage never flashes empty.
    const next = URL.createObjectURL(blob);
    const loaded = new Image();
    loaded.src = next;
    await loaded.decode().catch(() => {});
    if (inFlight !== request) { URL.revokeObjectURL(next); return; }
    image.src = next;
    image.hidden = false;
    revision += 1;
    image.dataset.revision = String(revision);
    if (previous.startsWith("blob:")) URL.revokeObjectURL(previous);
    clearErrors(controls);
    status.textContent = "";
    stage.setAttribute("aria-busy", "false");
  } catch (error) {
    if (error.name === "AbortError" || inFlight !== request) return;
    if (!(error instanceof ApiError)) throw error;
    stage.setAttribute("aria-busy", "false");
    status.textContent = "Preview not updated";
    showFieldError(form, error.field, plainMessage(error));
  } finally {
    if (inFlight === request) inFlight = null;
  }
}

// Save -------------------------------------------------------------------------------------------------------
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  saveButton.disabled = true;
  saveButton.textContent = "Saving…";
  try {
    const asset = await api.post("/presenters", { name: nameInput.value, choices });
    saved.querySelector("[data-saved-name]").textContent = asset.asset_name;
    saved.dataset.assetId = asset.asset_id;
    saved.hidden = false;
    data.own.unshift({ asset_id: asset.asset_id, name: asset.asset_name, choices: asset.meta.presenter.choices,
                       image_url: data.urls.image.replace("ASSET_ID", encodeURIComponent(asset.asset_id)) });
    startItems.splice(data.presets.length, 0, { key: asset.asset_id, name: asset.asset_name,
                                                choices: asset.meta.presenter.choices, note: "Yours",
                                                image: asset.cover_url });
    startKey = asset.asset_id;
    renderStarts();
    toast(`${asset.asset_name} saved to the asset library`, { kind: "success" });
    saved.querySelector("[data-open-library]").focus();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    showFieldError(form, error.field, plainMessage(error));
  } finally {
    saveButton.disabled = false;
    saveButton.textContent = "Save presenter";
  }
});

document.querySelector("[data-again]").addEventListener("click", () => {
  saved.hidden = true;
  nameInput.value = "";
  nameInput.focus();
});
nameInput.addEventListener("input", () => {
  saved.hidden = true;
});

renderStarts();
renderPickers();
stage.setAttribute("aria-busy", "true");
status.textContent = "Drawing…";
refreshPreview().then(loadStartThumbs);
