// The voice of the video: picker (built-in voices and the project's VOICE_MODEL assets), speed/pitch/volume with
// the spec's ranges and defaults (voice_config, from the page's JSON schema), and an audition played from the
// server's voice-samples. Writes only through store.apply.
import { projectApi } from "../api.js";
import { el } from "../ui.js";
import { assetGroups } from "./doc.js";
import { schemaAt } from "./settings-panel.js";
import { sayError } from "../work-common.js";

const SLIDERS = [
  { name: "speed", label: "Speed", format: (v) => `${(v / 100).toFixed(2).replace(/0$/, "")}×` },
  { name: "pitch", label: "Pitch", format: (v) => `${v}%` },
  { name: "volume", label: "Volume", format: (v) => `${v}` },
];
const SAMPLE_MAX = 200;

// The values the voice would use: the doc's, with the spec's defaults for what it leaves out.
export function voiceSettings(store) {
  const config = store.doc.voice_config || {};
  const result = { voice_asset_id: config.voice_asset_id || "" };
  for (const { name } of SLIDERS) result[name] = config[name] ?? schemaAt(store, ["voice_config", name]).default;
  return result;
}

// A short line to audition: the scene's first sentence (tags removed), at most SAMPLE_MAX characters.
export function sampleLine(text) {
  let plain = text || "";
  if (/^\s*<speak[\s>]/.test(plain)) {
    const xml = new DOMParser().parseFromString(plain, "application/xml");
    plain = xml.querySelector("parsererror") ? "" : xml.documentElement.textContent;
  }
  plain = plain.replace(/\s+/g, " ").trim();
  const sentence = (/^.*?[.!?。！？](\s|$)/.exec(plain)?.[0] || plain).trim();
  if (sentence.length <= SAMPLE_MAX) return sentence;
  const cut = sentence.slice(0, SAMPLE_MAX);
  return cut.slice(0, cut.lastIndexOf(" ") > 40 ? cut.lastIndexOf(" ") : SAMPLE_MAX);
}

export function mountVoice(root, store, { sampleText }) {
  const api = projectApi(store.meta.projectId);
  const disabled = !store.meta.canEdit;
  const voices = assetGroups(store.meta, "VOICE_MODEL");
  const picker = el("select", { id: "voice-asset", name: "voice_asset_id", disabled },
                    el("option", { value: "" }, "Choose a voice…"),
                    voices.presets.length ? el("optgroup", { label: "Built-in voices" },
                      voices.presets.map((v) => el("option", { value: v.asset_id }, v.asset_name))) : null,
                    voices.own.length ? el("optgroup", { label: "Your voices" },
                      voices.own.map((v) => el("option", { value: v.asset_id }, v.asset_name))) : null);
  picker.addEventListener("change", () => store.apply("Change voice", (draft) => {
    draft.voice_config = { ...(draft.voice_config || {}), voice_asset_id: picker.value };
  }));

  const sliders = SLIDERS.map((slider) => {
    const schema = schemaAt(store, ["voice_config", slider.name]);
    const input = el("input", { type: "range", id: `voice-${slider.name}`, name: slider.name, min: schema.minimum,
                                max: schema.maximum, step: 1, disabled });
    const output = el("output", { for: input.id, class: "slider-value" });
    const reset = el("button", { type: "button", class: "btn btn-ghost btn-small", disabled,
                                 title: `Back to the default (${slider.format(schema.default)})` }, "Reset");
    const set = (value) => store.apply(`Voice ${slider.name}`, (draft) => {
      draft.voice_config = { ...(draft.voice_config || {}), [slider.name]: value };
    });
    input.addEventListener("input", () => { output.textContent = slider.format(Number(input.value)); set(Number(input.value)); });
    reset.addEventListener("click", () => set(schema.default));
    const row = el("div", { class: "field slider-field" },
                   el("label", { for: input.id }, slider.label),
                   el("div", { class: "slider-row" }, input, output, reset),
                   el("p", { class: "field-hint" },
                      `${slider.format(schema.minimum)} to ${slider.format(schema.maximum)}, default ${slider.format(schema.default)}`));
    return { ...slider, input, output, row };
  });

  const audio = el("audio", { class: "voice-audio", controls: true, preload: "auto", "aria-label": "Voice sample" });
  const audition = el("button", { type: "button", class: "btn btn-small", "data-audition": true }, "▶ Audition");
  const error = el("p", { class: "field-error", role: "alert", hidden: true });
  let pending = null;
  let objectUrl = null;

  audition.addEventListener("click", async () => {
    pending?.abort();
    pending = new AbortController();
    const settings = voiceSettings(store);
    const text = sampleText();
    error.hidden = true;
    audition.disabled = true;
    audition.setAttribute("aria-busy", "true");
    audition.textContent = "Preparing sample…";
    try {
      const blob = await api.post("/voice-samples", { ...settings, ...(text ? { text } : {}) },
                                  { signal: pending.signal });
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(blob);
      audio.src = objectUrl;
      audio.hidden = false;
      audio.play().catch(() => {});   // autoplay may be refused; the controls are there
    } catch (exc) {
      if (exc.name === "AbortError") return;
      error.textContent = sayError(exc);
      error.hidden = false;
    } finally {
      audition.disabled = false;
      audition.removeAttribute("aria-busy");
      audition.textContent = "▶ Audition";
    }
  });
  audio.hidden = true;

  root.replaceChildren(el("section", { class: "panel-section voice-section", "aria-labelledby": "voice-title" },
    el("h3", { id: "voice-title", class: "panel-subtitle" }, "Voice"),
    el("div", { class: "field" }, el("label", { for: picker.id }, "Voice"), picker,
       el("p", { class: "field-hint" }, "The same voice speaks every scene.")),
    sliders.map((s) => s.row),
    el("div", { class: "audition-row" }, audition,
       el("span", { class: "muted small" }, "Plays the scene's first sentence")),
    error, audio));

  const render = () => {
    const settings = voiceSettings(store);
    picker.value = settings.voice_asset_id;
    picker.setAttribute("aria-invalid", settings.voice_asset_id ? "false" : "true");
    audition.disabled = !settings.voice_asset_id || audition.hasAttribute("aria-busy");
    for (const slider of sliders) {
      if (document.activeElement !== slider.input) slider.input.value = settings[slider.name];
      slider.output.textContent = slider.format(settings[slider.name]);
    }
  };
  render();
  return store.subscribe(render);
}
