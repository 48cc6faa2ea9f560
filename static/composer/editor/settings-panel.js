// Video-wide settings: avatar, output video, subtitles, background music, gestures. Ranges, defaults and choices
// come from the spec's JSON schema in the page data; a value out of range is refused beside its field (the
// server's validate stays the rule of record). Writes only through store.apply.
import { el } from "../ui.js";
import { assetGroups, findAsset } from "./doc.js";
import { paletteSwatches } from "./brand.js";
import { syncSlotOptions } from "./variables-panel.js";
import { CODEC_NAMES, alphaFormats, fillName, hasBackground, keepsAlpha, transparencyNotice } from "./transparency.js";

// The JSON schema of a composition field: schemaAt(store, ["video_config", "bitrate"]) -> {type, minimum, ...}.
export function schemaAt(store, path) {
  let node = store.meta.schema || {};
  for (const key of path) node = node.properties?.[key] || {};
  return node;
}

const getAt = (doc, path) => path.reduce((node, key) => (node == null ? undefined : node[key]), doc);
function setAt(doc, path, value) {
  let node = doc;
  for (const key of path.slice(0, -1)) node = node[key] ??= {};
  if (value === undefined) delete node[path.at(-1)];
  else node[path.at(-1)] = value;
}

const rangeText = (min, max, unit = "") => `${min.toLocaleString()}–${max.toLocaleString()}${unit ? ` ${unit}` : ""}`;

// One labelled control bound to a composition path. kind: number | select | checkbox | color | range.
function bindField(store, form, { path, label, kind = "number", hint, unit, min, max, options, showIf, optional }) {
  const schema = schemaAt(store, path);
  const low = min ?? schema.minimum;
  const high = max ?? schema.maximum;
  const integer = schema.type === "integer";
  const name = path.join(".");
  const id = `setting-${path.join("-")}`;
  const disabled = !store.meta.canEdit;
  let input;
  if (kind === "select") {
    input = el("select", { id, name, disabled },
               (options || schema.enum || []).map((o) => (Array.isArray(o) ? el("option", { value: o[0] }, o[1])
                                                                          : el("option", { value: o }, o))));
  } else if (kind === "checkbox") {
    input = el("input", { id, name, type: "checkbox", disabled });
  } else if (kind === "color") {
    input = el("input", { id, name, type: "color", disabled });
  } else {
    input = el("input", { id, name, type: kind === "range" ? "range" : "number", min: low, max: high, disabled,
                          step: integer ? 1 : kind === "range" ? 0.05 : "any", inputmode: integer ? "numeric" : "decimal" });
  }
  const output = kind === "range" ? el("output", { for: id, class: "slider-value" }) : null;
  const rangeHint = low != null && high != null && kind !== "range" ? `${rangeText(low, high, unit)}` : null;
  const defaultHint = schema.default != null && !["object", "boolean"].includes(typeof schema.default)
    ? `default ${schema.default}` : null;
  const hints = [hint, rangeHint, defaultHint].filter(Boolean).join(" · ");
  const error = el("p", { class: "field-error", role: "alert", hidden: true });
  const clear = el("button", { type: "button", class: "btn btn-ghost btn-small", hidden: !optional || disabled,
                               title: `Remove ${label.toLowerCase()}` }, "None");
  // A colour offers the brand kit's palette first, as swatches beside it (redrawn with the value).
  const swatches = kind === "color" && !disabled ? el("span", { class: "ed-brand-slot" }) : null;
  const row = kind === "checkbox"
    ? el("div", { class: "field" }, el("label", { class: "check", for: id }, input, label),
         hints ? el("p", { class: "field-hint" }, hints) : null)
    : el("div", { class: "field" }, el("label", { for: id }, label),
         el("div", { class: "control-row" }, input, output, clear), swatches, error,
         hints ? el("p", { class: "field-hint" }, hints) : null);

  const showError = (message) => {
    error.textContent = message || "";
    error.hidden = !message;
    input.setAttribute("aria-invalid", message ? "true" : "false");
  };
  const commit = (value) => { showError(""); store.apply(`Set ${label.toLowerCase()}`, (d) => setAt(d, path, value)); };
  const read = () => {
    if (kind === "checkbox") return commit(input.checked);
    if (kind === "select") return commit(input.value === "" ? undefined : input.value);
    if (kind === "color") return commit(input.value.toUpperCase());
    const raw = input.value.trim();
    if (raw === "") return optional ? commit(undefined) : showError(`${label} is required (${rangeText(low, high, unit)})`);
    const number = Number(raw);
    if (!Number.isFinite(number)) return showError(`${label} must be a number`);
    if (integer && !Number.isInteger(number)) return showError(`${label} must be a whole number`);
    if ((low != null && number < low) || (high != null && number > high)) {
      return showError(`${label} must be between ${rangeText(low, high, unit)} (got ${number.toLocaleString()})`);
    }
    if (output) output.textContent = String(number);
    return commit(number);
  };
  input.addEventListener(kind === "number" ? "change" : "input", read);
  if (kind === "number") input.addEventListener("input", () => showError(""));
  clear.addEventListener("click", () => commit(undefined));
  form.append(row);

  return () => {
    const value = getAt(store.doc, path) ?? schema.default;
    row.hidden = showIf ? !showIf(store.doc) : false;
    swatches?.replaceChildren(...[paletteSwatches(store, name, getAt(store.doc, path), commit)].filter(Boolean));
    if (document.activeElement === input || input.getAttribute("aria-invalid") === "true") return;
    if (kind === "checkbox") input.checked = !!value;
    else if (kind === "color") {
      input.value = value || "#000000";
      input.classList.toggle("is-unset", !value);
      input.title = value ? value : "Not set";
    }
    else input.value = value ?? "";
    if (output) output.textContent = value ?? "";
    clear.hidden = !optional || disabled || value == null;
  };
}

function section(title, hint) {
  const body = el("div", { class: "settings-fields" });
  const node = el("section", { class: "panel-section" }, el("h3", { class: "panel-subtitle" }, title),
                  hint ? el("p", { class: "field-hint section-hint" }, hint) : null, body);
  return { node, body };
}

const orientationOf = (doc) => ((doc.video_config?.height || 0) > (doc.video_config?.width || 0) ? "portrait" : "landscape");

// A presenter comes with the voice that fits it. A voice that is some presenter's default is replaced by the new
// presenter's; any other voice (another language, an uploaded one) was picked on purpose and stays. One undo step
// takes back both.
function switchPresenter(meta, doc, avatar) {
  const defaults = new Set([...meta.presets.avatars, ...meta.assets].map((a) => a.meta?.default_voice).filter(Boolean));
  const current = doc.voice_config?.voice_asset_id;
  const fitting = avatar.meta?.default_voice;
  doc.model_asset_id = avatar.asset_id;
  if (fitting && (!current || defaults.has(current))) {
    doc.voice_config = { ...(doc.voice_config || {}), voice_asset_id: fitting };
  }
}

function avatarPicker(store) {
  const { presets, own } = assetGroups(store.meta, "HUMAN_MODEL_2D");
  const cards = [...presets, ...own].map((avatar) => {
    const input = el("input", { type: "radio", name: "model_asset_id", value: avatar.asset_id,
                                class: "visually-hidden", disabled: !store.meta.canEdit });
    input.addEventListener("change", () => store.apply("Change avatar", (d) => { switchPresenter(store.meta, d, avatar); }));
    const size = avatar.width && avatar.height ? `${avatar.width}×${avatar.height}` : "";
    return el("label", { class: "avatar-card", title: avatar.meta?.description || "", dataset: { asset: avatar.asset_id } }, input,
              avatar.image_url ? el("img", { src: avatar.image_url, alt: "", loading: "lazy" })
                               : el("span", { class: "avatar-card-blank" }),
              el("span", { class: "avatar-card-name" }, avatar.asset_name),
              el("span", { class: "muted small" }, [avatar.is_preset ? "Built-in" : avatar.rendered_by ? `Rendered by ${avatar.rendered_by}` : "Yours", size].filter(Boolean).join(" · ")));
  });
  const grid = el("div", { class: "avatar-grid", role: "radiogroup", "aria-label": "Avatar" }, cards);
  return { grid, render: () => {
    for (const input of grid.querySelectorAll("input")) {
      input.checked = input.value === store.doc.model_asset_id;
      input.parentElement.classList.toggle("is-selected", input.checked);
    }
  } };
}

function resolutionField(store, form) {
  const select = el("select", { id: "setting-resolution", name: "resolution", disabled: !store.meta.canEdit });
  const row = el("div", { class: "field" }, el("label", { for: select.id }, "Resolution"), select,
                 el("p", { class: "field-hint" }, "RESIZE supports these sizes; 4K needs a 4K avatar"));
  select.addEventListener("change", () => store.apply("Set resolution", (d) => {
    const [width, height] = select.value.split("x").map(Number);
    d.video_config = { ...(d.video_config || {}), width, height };
  }));
  form.append(row);
  return () => {
    const video = store.doc.video_config || {};
    row.hidden = (video.clip_mode || "RESIZE") !== "RESIZE";
    const sizes = store.meta.videoRules.resizeSizes[orientationOf(store.doc)];
    const current = `${video.width}x${video.height}`;
    const options = sizes.map(([w, h]) => [`${w}x${h}`, `${w} × ${h}${w * h > 4e6 ? " (4K)" : w * h < 1.5e6 ? " (720p)" : " (1080p)"}`]);
    if (!options.some(([value]) => value === current)) options.push([current, `${video.width} × ${video.height} (not for RESIZE)`]);
    select.replaceChildren(...options.map(([value, label]) => el("option", { value }, label)));
    select.value = current;
  };
}

// Under the codec: which scenes have no background and what this codec does with them (nothing when all have one).
function transparencyRow(store, form) {
  const row = el("div", { class: "field", "data-codec-transparency": true });
  form.append(row);
  let drawn = "";
  return () => {
    const empty = (store.doc.shoot_scripts || []).map((item, i) => (hasBackground(item.shoot_script) ? null : i + 1))
      .filter(Boolean);
    const signature = JSON.stringify([empty, store.doc.video_config?.codec]);
    if (signature === drawn) return;
    drawn = signature;
    const scenes = empty.length === 1 ? `Scene ${empty[0]}`
      : `Scenes ${empty.slice(0, -1).join(", ")} and ${empty.at(-1)}`;
    row.replaceChildren(...(empty.length ? [transparencyNotice(store, { scenes })] : []));
    row.hidden = !empty.length;
  };
}

export function mountSettingsPanel(root, store) {
  const renders = [];
  const crop = (doc) => doc.video_config?.clip_mode === "CROP";
  const subtitles = (doc) => !!doc.video_config?.is_subtitle_enable;

  const avatar = section("Avatar", "The presenter of every scene (a scene's HUMAN layer can place it).");
  const picker = avatarPicker(store);
  avatar.body.append(picker.grid);
  renders.push(picker.render);

  const video = section("Video");
  const v = (path, opts) => renders.push(bindField(store, video.body, { path: ["video_config", ...path], ...opts }));
  const alphaLabel = (codec) => `${CODEC_NAMES[codec]}, ${keepsAlpha(store.meta, codec) ? "keeps transparency" : "no transparency"}`;
  v(["codec"], { label: "Codec", kind: "select", options: ["H264", "VP8", "QTRLE"].map((codec) => [codec, alphaLabel(codec)]),
                 hint: `${alphaFormats(store.meta)} keep scenes without background see-through; MP4 fills them with `
                       + `${fillName(store.meta)} · QTRLE: under 1,500 characters in total` });
  renders.push(transparencyRow(store, video.body));
  v(["clip_mode"], { label: "Clip mode", kind: "select", options: [["RESIZE", "Resize (scale the whole frame)"],
                                                                  ["CROP", "Crop (keep a region)"]] });
  renders.push(resolutionField(store, video.body));
  v(["width"], { label: "Width", unit: "px", showIf: crop });
  v(["height"], { label: "Height", unit: "px", showIf: crop });
  v(["dx"], { label: "Crop x", unit: "px", showIf: crop, optional: true });
  v(["dy"], { label: "Crop y", unit: "px", showIf: crop, optional: true });
  v(["bitrate"], { label: "Bitrate", unit: "kbit/s", min: store.meta.videoRules.avatarBitrate[0], max: store.meta.videoRules.avatarBitrate[1],
                   hint: "avatar video" });
  const fps = el("div", { class: "field" }, el("label", { for: "setting-fps" }, "Frame rate"),
                 el("input", { id: "setting-fps", value: "25 fps", disabled: true }),
                 el("p", { class: "field-hint" }, schemaAt(store, ["video_config", "frame_rate"]).description || ""));
  video.body.append(fps);
  v(["is_enable_super_resolution"], { label: "Super resolution", kind: "checkbox" });
  v(["is_end_at_first_frame"], { label: "End on the first frame", kind: "checkbox",
                                 hint: "for seamless joins; ignored once a gesture is inserted" });

  const subs = section("Subtitles");
  const s = (path, opts) => renders.push(bindField(store, subs.body, {
    path: ["video_config", "subtitle_config", ...path], showIf: subtitles, ...opts }));
  renders.push(bindField(store, subs.body, { path: ["video_config", "is_subtitle_enable"], label: "Show subtitles",
                                             kind: "checkbox", hint: "burned into the video; SRT and VTT files too" }));
  s(["font_size"], { label: "Font size", unit: "px", min: 24, hint: "below 24 is raised to 24" });
  s(["font_color"], { label: "Text colour", kind: "color" });
  s(["stroke_color"], { label: "Outline colour", kind: "color", optional: true });
  s(["stroke_thickness"], { label: "Outline thickness", unit: "px", optional: true });
  s(["opacity"], { label: "Box opacity", kind: "range", hint: "0 = outline only" });
  s(["word_highlight"], { label: "Highlight the spoken word", kind: "checkbox" });
  s(["dx"], { label: "Box x", unit: "px", optional: true, hint: "lower-left corner" });
  s(["dy"], { label: "Box y", unit: "px", optional: true, hint: "lower-left corner" });

  const music = section("Background music");
  const { presets: tracks, own } = assetGroups(store.meta, "MUSIC");
  // Any uploaded audio file can be the music bed too (the server accepts AUDIO where MUSIC is expected).
  const recordings = assetGroups(store.meta, "AUDIO").own;
  const musicGroups = [["Music", [...tracks, ...own]], ["Your audio files", recordings]];
  renders.push(bindField(store, music.body, {
    path: ["background_music_config", "music_asset_id"], label: "Music", kind: "select",
    options: [["", "No music"], ...musicGroups.flatMap(([, items]) => items).map((t) => [t.asset_id, t.asset_name])] }));
  const musicSelect = music.body.querySelector("select");
  // A template's audio slots can be the music bed too, filled from each row.
  renders.push(() => {
    syncSlotOptions(musicSelect, store.doc, "audio");
    musicSelect.value = store.doc.background_music_config?.music_asset_id || "";
  });
  for (const [label, items] of musicGroups) {
    if (!items.length) continue;
    const group = el("optgroup", { label });
    for (const t of items) group.append(musicSelect.querySelector(`option[value="${CSS.escape(t.asset_id)}"]`));
    musicSelect.append(group);
  }
  renders.push(bindField(store, music.body, { path: ["background_music_config", "volume"], label: "Music volume",
                                              kind: "range", showIf: (d) => !!d.background_music_config?.music_asset_id,
                                              hint: "0–100" }));

  const gestures = section("Gestures");
  renders.push(bindField(store, gestures.body, { path: ["action_config", "action_interval"], label: "Gesture interval",
                                                 unit: "s", hint: schemaAt(store, ["action_config", "action_interval"]).description }));

  const form = el("form", { class: "settings-panel", novalidate: true, onsubmit: (e) => e.preventDefault() },
                  el("h2", { class: "panel-title" }, "Settings"), avatar.node, video.node, subs.node, music.node,
                  gestures.node);
  root.replaceChildren(form);
  const render = () => { for (const fn of renders) fn(); };
  render();
  return store.subscribe(render);
}
