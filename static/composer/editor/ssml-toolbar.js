// The SSML toolbar: each tool is a small entry (label, form fields, tag builder) registered by name. A tool opens a
// popover form, then inserts its tag at the caret or around the selection. The options come from the server's
// grammar (GET ssml-checks), so an inserted tag always validates.
import { el } from "../ui.js";

const escapeText = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (text) => escapeText(String(text)).replace(/"/g, "&quot;");

export const isSsml = (text) => /^\s*<speak[\s>]/.test(text || "");

// Turns plain text into SSML (escaped, inside <speak>) and maps a caret offset of the old text into the new one.
export function toSsml(text) {
  if (isSsml(text)) return { text, map: (offset) => offset };
  const body = text.trim() ? text : "";
  return { text: `<speak>${escapeText(body)}</speak>`, map: (offset) => 7 + escapeText(body.slice(0, offset)).length };
}

// Pure: `text` with `open` (+ the selection + `close`) inserted at [start, end). Returns the new text and the
// range to select afterwards (the wrapped content, or the caret just after an empty tag).
export function insertTag(text, start, end, { open, close = "", content = null }) {
  const ssml = toSsml(text);
  const from = ssml.map(start);
  const to = ssml.map(end);
  const inner = content != null ? escapeText(content) : ssml.text.slice(from, to);
  const next = ssml.text.slice(0, from) + open + inner + close + ssml.text.slice(to);
  if (!close) return { text: next, start: from + open.length, end: from + open.length };
  return { text: next, start: from + open.length, end: from + open.length + inner.length };
}

const attrs = (values) => Object.entries(values).filter(([, v]) => v !== "" && v != null)
  .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join("");

// Field descriptions: {name, label, type: select|number|text, options, min, max, step, value, hint, required}.
const TOOLS = {
  pause: {
    label: "Pause", title: "Insert a pause (<break>)",
    fields: (g) => [
      { name: "time", label: "Length (ms)", type: "number", min: 50, max: g.break.max_seconds * 1000, step: 50,
        value: 500, hint: `50 to ${(g.break.max_seconds * 1000).toLocaleString()} ms`, required: true },
    ],
    build: (v) => ({ open: `<break${attrs({ time: `${v.time}ms` })}/>` }),
  },
  prosody: {
    label: "Prosody", title: "Change rate, pitch or volume of the selection (<prosody>)", wraps: true,
    fields: (g) => [
      { name: "rate", label: "Rate", type: "select", options: g.prosody.rate.names, value: "medium",
        hint: `or a factor ${g.prosody.rate.minimum}–${g.prosody.rate.maximum} in the text` },
      { name: "pitch", label: "Pitch", type: "select", options: g.prosody.pitch.names, value: "medium" },
      { name: "volume", label: "Volume", type: "select", options: g.prosody.volume.names, value: "medium" },
    ],
    build: (v) => {
      const values = Object.fromEntries(["rate", "pitch", "volume"].map((k) => [k, v[k] === "medium" ? "" : v[k]]));
      return { open: `<prosody${attrs(values)}>`, close: "</prosody>" };
    },
  },
  "say-as": {
    label: "Say as", title: "Read the selection as a number, date, digits… (<say-as>)", wraps: true, textOnly: true,
    fields: (g) => [
      { name: "interpret-as", label: "Read as", type: "select", options: g.say_as.interpret_as, value: "cardinal" },
      { name: "format", label: "Date format", type: "select", options: ["", ...g.say_as.date_formats], value: "",
        hint: "only for dates", showIf: (v) => v["interpret-as"] === "date" },
    ],
    build: (v) => ({ open: `<say-as${attrs({ "interpret-as": v["interpret-as"],
                                                format: v["interpret-as"] === "date" ? v.format : "" })}>`,
                     close: "</say-as>" }),
  },
  phoneme: {
    label: "Phoneme", title: "Give the pronunciation of the selection (<phoneme>)", wraps: true, textOnly: true,
    fields: (g) => [
      { name: "alphabet", label: "Alphabet", type: "select", options: g.phoneme.alphabets, value: g.phoneme.alphabets[0] },
      { name: "ph", label: "Pronunciation", type: "text", value: "", required: true,
        hint: "e.g. təˈmɑːtoʊ (IPA) or ni3 hao3 (pinyin)" },
    ],
    build: (v) => ({ open: `<phoneme${attrs({ alphabet: v.alphabet, ph: v.ph })}>`, close: "</phoneme>" }),
  },
  action: {
    label: "Gesture", title: "Insert an avatar gesture (<insert-action>)",
    fields: (g, ctx) => [
      { name: "name", label: "Gesture", type: "select", options: ctx.actions(), value: ctx.actions()[0],
        hint: "the gesture starts here in the speech" },
    ],
    build: (v) => ({ open: `<insert-action${attrs({ name: v.name })}/>` }),
  },
};

function fieldInput(field, values, onChange) {
  const id = `ssml-${field.name}`;
  let input;
  if (field.type === "select") {
    input = el("select", { id, name: field.name },
               field.options.map((o) => el("option", { value: o, selected: o === field.value }, o || "—")));
  } else {
    input = el("input", { id, name: field.name, type: field.type, value: field.value, min: field.min,
                          max: field.max, step: field.step, required: field.required, autocomplete: "off" });
  }
  input.addEventListener("input", () => { values[field.name] = input.value; onChange(); });
  values[field.name] = String(field.value ?? "");
  return el("div", { class: "field", dataset: { field: field.name } },
            el("label", { for: id }, field.label), input,
            field.hint ? el("p", { class: "field-hint" }, field.hint) : null);
}

// Checks a popover's values against its fields; returns an error message per field name.
function fieldErrors(fields, values) {
  const errors = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.required && !String(value).trim()) errors[field.name] = `${field.label} is required`;
    else if (field.type === "number") {
      const number = Number(value);
      if (!Number.isFinite(number) || number < field.min || number > field.max) {
        errors[field.name] = `${field.label} must be between ${field.min} and ${field.max}`;
      }
    }
  }
  return errors;
}

// mountSsmlToolbar(textarea, {grammar: Promise, actions: () => [names], onInsert(text, start, end)}) -> element.
export function mountSsmlToolbar(textarea, { grammar, actions, onInsert, disabled = false }) {
  const bar = el("div", { class: "ssml-toolbar", role: "toolbar", "aria-label": "SSML tags" });
  let popover = null;
  let grammarValue = null;
  grammar.then((g) => { grammarValue = g; refresh(); }).catch(() => {});

  const close = () => {
    popover?.remove();
    popover = null;
    for (const b of bar.querySelectorAll("[aria-expanded]")) b.setAttribute("aria-expanded", "false");
  };

  function open(name, button) {
    close();
    const tool = TOOLS[name];
    const range = [textarea.selectionStart, textarea.selectionEnd];
    const selected = textarea.value.slice(...range);
    const fields = tool.fields(grammarValue, { actions });
    if (tool.textOnly && (!selected || /[<>]/.test(selected))) {
      fields.push({ name: "content", label: "Text", type: "text", value: selected.replace(/<[^>]*>/g, ""),
                    required: true, hint: "the words this applies to" });
    }
    const values = {};
    const rows = fields.map((f) => fieldInput(f, values, () => update()));
    const update = () => fields.forEach((f, i) => { rows[i].hidden = f.showIf ? !f.showIf(values) : false; });
    const form = el("form", { class: "ssml-popover", "aria-label": tool.title, novalidate: true },
                    el("p", { class: "ssml-popover-title" }, tool.title), rows,
                    el("div", { class: "ssml-popover-actions" },
                       el("button", { type: "button", class: "btn btn-ghost btn-small", onclick: close }, "Cancel"),
                       el("button", { type: "submit", class: "btn btn-primary btn-small" }, "Insert")));
    update();
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); close(); textarea.focus(); }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      for (const note of form.querySelectorAll(".field-error")) note.remove();
      const errors = fieldErrors(fields.filter((f) => !f.showIf || f.showIf(values)), values);
      for (const [field, message] of Object.entries(errors)) {
        const row = form.querySelector(`[data-field="${field}"]`);
        row.querySelector("input, select").setAttribute("aria-invalid", "true");
        row.append(el("p", { class: "field-error", role: "alert" }, message));
      }
      if (Object.keys(errors).length) return;
      const tag = tool.build(values);
      const content = "content" in values ? values.content : null;
      const result = insertTag(textarea.value, range[0], range[1], { ...tag, content });
      close();
      onInsert(result.text, result.start, result.end);
    });
    button.setAttribute("aria-expanded", "true");
    popover = form;
    bar.append(form);
    form.style.left = `${Math.min(button.offsetLeft, Math.max(0, bar.clientWidth - 300))}px`;
    form.querySelector("input, select")?.focus();
  }

  const buttons = Object.entries(TOOLS).map(([name, tool]) => el("button", {
    type: "button", class: "btn btn-small ssml-tool", dataset: { tool: name }, title: tool.title,
    "aria-haspopup": "dialog", "aria-expanded": "false",
    onclick: (event) => (popover && event.currentTarget.getAttribute("aria-expanded") === "true"
      ? close() : open(name, event.currentTarget)),
  }, tool.label));
  bar.append(...buttons);

  function refresh() {
    for (const button of buttons) {
      const noGestures = button.dataset.tool === "action" && actions().length === 0;
      button.disabled = disabled || !grammarValue || noGestures;
      button.title = noGestures ? "This avatar has no gestures" : TOOLS[button.dataset.tool].title;
    }
  }
  refresh();
  document.addEventListener("pointerdown", (event) => {
    if (popover && !bar.contains(event.target)) close();
  });
  return { element: bar, refresh, close };
}
