// Helpers shared by the scripts, approvals and videos pages (and the editor's review bar).
import { ApiError } from "./api.js";
import { clearErrors, formatDate, lastSegment, showFieldError } from "./ui.js";

// An API message without the field path it starts with ("script_name: is required" -> "Is required").
export function plainMessage(error) {
  const text = (error && error.message) || String(error || "Something went wrong");
  const stripped = error && error.field ? text.slice(error.field.length).replace(/^:\s*/, "") : text;
  return stripped.charAt(0).toUpperCase() + stripped.slice(1);
}

// An API refusal in words, naming its place: "shoot_scripts[0].shoot_script.layer_config[1].size.width: must be
// between 1 and 7680" -> "Scene 1 · layer 2 · width: must be between 1 and 7680". Beside its own field, show
// plainMessage (the rule alone) instead.
export function sayError(error) {
  const rule = plainMessage(error);
  if (!error?.field) return rule;
  return `${describePath(error.field)}: ${/^[A-Z][a-z]/.test(rule) ? rule.charAt(0).toLowerCase() + rule.slice(1) : rule}`;
}

// Run `work` for `form` with `button` disabled meanwhile; an API refusal is shown beside the field it names
// (or at the top of the form when it names none). Anything but an API refusal is a bug and is rethrown.
export async function submitting(form, button, work) {
  clearErrors(form);
  if (button) button.disabled = true;
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const name = lastSegment(error.field);
    const beside = name && form.querySelector(`[name="${CSS.escape(name)}"], [data-field="${CSS.escape(name)}"]`);
    showFieldError(form, beside ? name : "", beside ? plainMessage(error) : sayError(error));
  } finally {
    if (button) button.disabled = false;
  }
}

// A spec path in words: "shoot_scripts[1].shoot_script.text_config.text" -> "Scene 2 · script text".
const PART_LABELS = {
  "text_config.text": "script text", "text_context": "text on screen", "background_config": "background",
  "model_asset_id": "presenter", "voice_asset_id": "voice", "voice_config": "voice", "video_config": "video",
  "background_music_config": "background music", "audio_config": "audio", "layer_config": "layers",
  "script_type": "scene type", "frame_rate": "frame rate", "clip_mode": "framing",
  "is_subtitle_enable": "burnt-in subtitles", "subtitle_config": "subtitle style", "music_asset_id": "music",
  "background_color_config": "background colour", "background_asset_id": "background image",
  "background_image_config.dx": "background image x (dx)", "background_image_config.dy": "background image y (dy)",
  "background_image_config.width": "background image width", "background_image_config.height": "background image height",
};

function words(segment) {
  return PART_LABELS[segment] || segment.replace(/_config$/, "").replace(/_/g, " ");
}

export function describePath(path) {
  const scene = /^shoot_scripts\[(\d+)\](?:\.shoot_script)?\.?(.*)$/.exec(path || "");
  const rest = scene ? scene[2] : path || "";
  const parts = [];
  if (scene) parts.push(`Scene ${Number(scene[1]) + 1}`);
  const layer = /layer_config\[(\d+)\]\.?(.*)$/.exec(rest);
  if (layer) {
    parts.push(`layer ${Number(layer[1]) + 1}`);
    if (layer[2]) parts.push(words(layer[2].split(".").pop()));
  } else if (rest) {
    const known = Object.keys(PART_LABELS).find((key) => rest.endsWith(key));
    parts.push(known ? PART_LABELS[known] : rest.replace(/\[\d+\]/g, "").split(".").map(words).join(" "));
  }
  const text = parts.join(" · ") || "the script";
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Render times written as ISO strings in [data-time] elements in the reader's locale.
export function localTimes(root = document) {
  for (const node of root.querySelectorAll("[data-time]")) {
    if (node.dataset.time) node.textContent = formatDate(node.dataset.time);
  }
}

// <dialog> buttons marked data-close close their dialog.
export function wireDialog(dialog) {
  for (const button of dialog.querySelectorAll("[data-close]")) button.addEventListener("click", () => dialog.close());
  return dialog;
}

// The page's <dialog data-dialog="name"> elements, wired, by name.
export function pageDialogs() {
  return Object.fromEntries([...document.querySelectorAll("dialog[data-dialog]")]
    .map((dialog) => [dialog.dataset.dialog, wireDialog(dialog)]));
}

// Render a script's approved revision (the server picks the revision); resolves with the new job id.
// `callback` is the spec's callback_config ({callback_url, auth_type, key}) or null.
export async function renderScript(api, scriptId, assetName, callback = null) {
  const body = { script_id: scriptId, output_asset_config: { asset_name: (assetName || "Video").slice(0, 256) } };
  if (callback) body.callback_config = callback;
  const { job_id: jobId } = await api.post("/2d-digital-human-videos", body);
  return jobId;
}

// An API refusal in words; a content-review refusal names each listed word and where it is.
export function explainError(error) {
  const message = plainMessage(error);
  if (!/content review found listed words/i.test(message)) return sayError(error);
  const hits = [...message.matchAll(/'([^']+)' in ([\w.[\]]+)/g)].map(([, word, path]) => `“${word}” (${describePath(path)})`);
  return `Words from the project's review list were found: ${hits.join(", ")}. Change them in the editor, then ask for approval again.`;
}

// The codes of a failed render the server explains (the page shell embeds them as #job-failure-codes).
const CODES = JSON.parse(document.getElementById("job-failure-codes")?.textContent || "{}");

// error_info in a marketer's words: what happened and what to do; the technical text stays in <details>.
const FAILURES = [
  { test: (e) => e.error_code === CODES.download,
    message: "A picture, video or sound used in the script could not be fetched from its web address.",
    advice: "Check that the link still works and is public, or upload the file to the asset library and use it from there. Then render again." },
  { test: (e) => e.error_code === CODES.asset_missing,
    message: "Something the video uses is no longer available (a presenter, voice, image or sound).",
    advice: "Open the script, pick the missing item again from the library, and render again." },
  { test: (e) => /stopped responding|giving up|timed? ?out/i.test(e.error_msg),
    message: "The render stopped responding and was given up.",
    advice: "This is usually temporary. Render again; if it keeps happening, tell your administrator." },
  { test: (e) => /audio|speech|voice|espeak|piper/i.test(e.error_msg),
    message: "The presenter's voice could not be made for one of the scenes.",
    advice: "Check the scene's text or uploaded audio (unusual characters, a very long scene, an unsupported file), then render again." },
  { test: () => true,
    message: "The video could not be rendered.",
    advice: "Try rendering again. If it fails again, send the technical details below to your administrator." },
];

export function explainFailure(error) {
  const known = FAILURES.find((rule) => rule.test(error));
  const scene = /^Scene (\d+):/.exec(error.error_msg || "");
  return { message: scene ? `Scene ${scene[1]}: ${known.message}` : known.message, advice: known.advice };
}
