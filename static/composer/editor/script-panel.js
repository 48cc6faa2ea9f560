// The selected scene's script: TEXT (plain or SSML, with the tag toolbar and the server's live check) or AUDIO
// (an AUDIO asset drives the avatar), plus the video's voice. Writes only through store.apply.
import { projectApi } from "../api.js";
import { el, formatDuration } from "../ui.js";
import { assetGroups } from "./doc.js";
import { isSsml, mountSsmlToolbar } from "./ssml-toolbar.js";
import { mountVoice, sampleLine, voiceSettings } from "./voice.js";
import { sayError } from "../work-common.js";
import { syncSlotOptions } from "./variables-panel.js";

const CHECK_DELAY_MS = 400;
const WARN_AT = 0.9;
const grammars = new Map();

// The server's SSML grammar, fetched once per project.
function grammarFor(api, projectId) {
  if (!grammars.has(projectId)) grammars.set(projectId, api.get("/ssml-checks"));
  return grammars.get(projectId);
}

// The gestures the video's avatar knows: the HUMAN layer of the scene if it has one, else model_asset_id.
export function avatarActions(store) {
  const human = (store.scene()?.layer_config || []).find((layer) => layer.layer_type === "HUMAN" && layer.asset_id);
  const id = human?.asset_id || store.doc.model_asset_id;
  const all = [...(store.meta.presets?.avatars || []), ...(store.meta.assets || [])];
  return all.find((asset) => asset.asset_id === id)?.rig?.actions || [];
}

// A textarea over a mirror of its own text, so that a line can be marked (the error's) while wrapping stays native.
function markedTextarea(attrs) {
  const mirror = el("div", { class: "ssml-mirror", "aria-hidden": "true" });
  const text = el("textarea", { class: "script-text", ...attrs });
  const box = el("div", { class: "ssml-editor" }, mirror, text);
  let marked = null;
  const paint = () => {
    mirror.replaceChildren(...text.value.split("\n").map((line, i) => el("div", {
      class: i + 1 === marked ? "ssml-line is-error" : "ssml-line" }, `${line}\u200b`)));
    mirror.scrollTop = text.scrollTop;
  };
  text.addEventListener("scroll", () => { mirror.scrollTop = text.scrollTop; });
  text.addEventListener("input", paint);
  return { box, text, paint, mark(line) { marked = line; paint(); } };
}

export function mountScriptPanel(root, store) {
  const api = projectApi(store.meta.projectId);
  const canEdit = !!store.meta.canEdit;
  const grammar = grammarFor(api, store.meta.projectId);
  const editScene = (label, fn) => store.apply(label, (draft) => fn(draft.shoot_scripts[store.sceneIndex].shoot_script));

  // Script type: TEXT or AUDIO.
  const typeInputs = ["TEXT", "AUDIO"].map((value) => el("input", { type: "radio", name: "script_type", value,
                                                                     disabled: !canEdit }));
  const typeSwitch = el("div", { class: "segmented", role: "radiogroup", "aria-label": "Script type" },
    typeInputs.map((input) => el("label", { class: "segment" }, input,
                                 input.value === "TEXT" ? "Text to speech" : "Recorded audio")));
  for (const input of typeInputs) {
    input.addEventListener("change", () => editScene("Script type", (scene) => {
      scene.script_type = input.value;
      if (input.value === "AUDIO" && !scene.audio_asset_id && audioAssets.length) scene.audio_asset_id = audioAssets[0].asset_id;
    }));
  }

  // TEXT: toolbar, editor, live check.
  const editor = markedTextarea({ rows: 12, spellcheck: "true", "aria-label": "Script text", name: "text",
                                  readonly: !canEdit, "aria-describedby": "script-status script-errors" });
  const toolbar = mountSsmlToolbar(editor.text, {
    grammar, actions: () => avatarActions(store), disabled: !canEdit,
    onInsert: (text, start, end) => {
      editor.text.value = text;
      editor.text.focus();
      editor.text.setSelectionRange(start, end);
      editor.text.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  editor.text.addEventListener("input", () => editScene("Edit script", (scene) => {
    scene.text_config = { ...(scene.text_config || {}), text: editor.text.value };
  }));
  const mode = el("span", { class: "badge", "data-mode": true });
  const counter = el("span", { class: "script-counter", "data-counter": true });
  const estimate = el("span", { class: "script-estimate", "data-estimate": true });
  const status = el("div", { class: "script-status small", id: "script-status", "aria-live": "polite" },
                    counter, estimate);
  const errors = el("ul", { class: "script-errors", id: "script-errors", "aria-live": "polite" });
  const textPart = el("div", { class: "script-text-part" },
    el("div", { class: "script-text-head" }, el("label", { for: "script-text", class: "inline-label" }, "Script"), mode),
    toolbar.element, editor.box, status, errors);
  editor.text.id = "script-text";

  // AUDIO: an AUDIO asset from the library.
  const audio = assetGroups(store.meta, "AUDIO");
  const audioAssets = [...audio.presets, ...audio.own];
  const audioPicker = el("select", { id: "audio-asset", name: "audio_asset_id", disabled: !canEdit },
                         el("option", { value: "" }, "Choose an audio file…"),
                         audioAssets.map((a) => el("option", { value: a.asset_id },
                           a.duration ? `${a.asset_name} (${formatDuration(a.duration)})` : a.asset_name)));
  audioPicker.addEventListener("change", () => editScene("Scene audio", (scene) => {
    scene.audio_asset_id = audioPicker.value || undefined;
  }));
  const audioPart = el("div", { class: "script-audio-part field" },
    el("label", { for: audioPicker.id }, "Audio file"), audioPicker,
    el("p", { class: "field-hint" }, audioAssets.length
      ? "The avatar lip-syncs to this recording; the voice settings below do not apply to it."
      : "No audio files yet: upload one (MP3, WAV) in Assets."));

  const voiceRoot = el("div");
  const title = el("h2", { class: "panel-title" });
  root.replaceChildren(el("div", { class: "script-panel" }, title, typeSwitch, textPart, audioPart, voiceRoot));
  const unsubscribeVoice = mountVoice(voiceRoot, store, {
    sampleText: () => sampleLine(store.scene()?.script_type === "AUDIO" ? "" : store.scene()?.text_config?.text),
  });

  // Live check, debounced; a newer check aborts the one in flight.
  let timer = null;
  let inflight = null;
  let checkedKey = null;
  function showCheck(result) {
    const used = result.characters;
    counter.textContent = used == null ? "Characters: —"
      : `${used.toLocaleString()} / ${result.limit.toLocaleString()} characters (tags excluded)`;
    counter.className = `script-counter ${used > result.limit ? "is-over" : used >= result.limit * WARN_AT ? "is-near" : ""}`;
    const speed = voiceSettings(store).speed / 100;
    // The scene's length limit, pauses included: the server refuses a render past it with the same words.
    const seconds = result.estimated_seconds;
    const most = result.max_seconds;
    estimate.textContent = seconds == null ? ""
      : `≈ ${formatDuration(seconds)} spoken at ${speed}×${most ? ` (at most ${formatDuration(most)} a scene)` : ""}`;
    estimate.className = `script-estimate ${most && seconds > most ? "is-over" : most && seconds >= most * WARN_AT ? "is-near" : ""}`;
    errors.replaceChildren(...result.errors.map((e) => el("li", { class: "field-error" },
      e.line ? `Line ${e.line}, column ${e.column}: ${e.message}` : e.message)));
    editor.mark(result.errors.find((e) => e.line)?.line ?? null);
    editor.text.setAttribute("aria-invalid", result.valid ? "false" : "true");
  }
  async function runCheck(body) {
    inflight?.abort();
    inflight = new AbortController();
    status.setAttribute("aria-busy", "true");
    try {
      showCheck(await api.post("/ssml-checks", body, { signal: inflight.signal }));
    } catch (exc) {
      if (exc.name === "AbortError") return;
      showCheck({ valid: false, characters: null, limit: 10000, estimated_seconds: null, max_seconds: null,
                  errors: [{ line: null, message: sayError(exc) }] });
    } finally {
      status.removeAttribute("aria-busy");
    }
  }
  function scheduleCheck() {
    const scene = store.scene() || {};
    const voice = voiceSettings(store);
    const body = { script_type: "TEXT", text: scene.text_config?.text || "", speed: voice.speed,
                   ...(voice.voice_asset_id ? { voice_asset_id: voice.voice_asset_id } : {}) };
    const key = JSON.stringify(body);
    if (key === checkedKey || scene.script_type === "AUDIO") return;
    const first = checkedKey === null;
    checkedKey = key;
    clearTimeout(timer);
    timer = setTimeout(() => runCheck(body), first ? 0 : CHECK_DELAY_MS);
  }

  const render = () => {
    const scene = store.scene() || {};
    const type = scene.script_type || "TEXT";
    title.textContent = `Scene ${store.sceneIndex + 1} script`;
    for (const input of typeInputs) input.checked = input.value === type;
    textPart.hidden = type !== "TEXT";
    audioPart.hidden = type !== "AUDIO";
    const value = scene.text_config?.text || "";
    if (editor.text.value !== value) {
      const [start, end] = [editor.text.selectionStart, editor.text.selectionEnd];
      editor.text.value = value;
      if (document.activeElement === editor.text) editor.text.setSelectionRange(start, end);
      editor.paint();
    }
    const ssml = isSsml(value);
    mode.textContent = ssml ? "SSML" : "Plain text";
    mode.title = ssml ? "Tags inside <speak> are read as SSML" : "Read as typed; inserting a tag turns it into SSML";
    editor.text.classList.toggle("is-ssml", ssml);
    syncSlotOptions(audioPicker, store.doc, "audio");
    audioPicker.value = scene.audio_asset_id || "";
    toolbar.refresh();
    scheduleCheck();
  };
  render();
  const unsubscribe = store.subscribe(render);
  return () => { unsubscribe(); unsubscribeVoice(); clearTimeout(timer); inflight?.abort(); };
}
