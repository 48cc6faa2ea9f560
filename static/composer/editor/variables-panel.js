// The Variables tab: the template's variables, each with its kind, label, sample and rule (max length, or the
// assets a row may choose), added, renamed and removed with every reference; and the video's name. The canvas,
// thumbnails and plays show the samples. Writes only through store.apply; the server's check is the rule of record
// and its reason shows beside the field it names.
import { el } from "../ui.js";
import { assetsOfType } from "./doc.js";
import {
  DEFAULT_MAX_LENGTH, KINDS, NAME_RE, SLOT_TYPES, addVariable, freeName, ref, removeVariable, renameVariable, usage,
  variablesOf,
} from "./variables.js";

const KIND_LABELS = { text: "Text", image: "Image slot", video: "Video slot", audio: "Audio slot" };

// A picker's options for the template's slots of `kind` ("From each row: {{tune}}"), kept in step with the doc
// by the panels whose pickers are built once (scene audio, music).
export function syncSlotOptions(select, doc, kind) {
  for (const option of [...select.options]) if (option.value.startsWith("{{")) option.remove();
  for (const variable of variablesOf(doc).filter((v) => v.kind === kind)) {
    select.append(el("option", { value: ref(variable.name) }, `From each row: ${ref(variable.name)}`));
  }
}

// The first asset a new slot of `kind` allows: audio slots may hold music tracks too.
function firstAssetFor(meta, kind) {
  const types = kind === "audio" ? ["MUSIC", "AUDIO"] : [SLOT_TYPES[kind]];
  return types.flatMap((type) => assetsOfType(meta, type))[0]?.asset_id || null;
}

function field(label, input, ...after) {
  return el("div", { class: "field" }, el("label", {}, label, input), ...after);
}

function problemFor(store, path) {
  const problem = store.problem || store.refusal;
  return problem?.field === path ? problem.message : null;
}

function errorNote(message) {
  return message ? el("p", { class: "field-error", role: "alert", "data-server-error": true }, message) : null;
}

export function mountVariablesPanel(root, store) {
  const canEdit = !!store.meta.canEdit;
  const edit = (label, fn) => store.apply(label, (draft) => fn(draft));
  let drawn = "";

  function variableCard(variable, index, used) {
    const path = `template.variables[${index}]`;
    const at = (fn) => (draft) => fn(draft.template.variables[index]);
    const name = el("input", { type: "text", value: variable.name, "data-field": `${path}.name`, disabled: !canEdit,
                               maxlength: 40, spellcheck: "false", autocomplete: "off" });
    const nameError = el("p", { class: "field-error", role: "alert", hidden: true });
    name.addEventListener("change", () => {
      const wanted = name.value.trim();
      const taken = variablesOf(store.doc).some((v, i) => i !== index && v.name === wanted);
      const why = !NAME_RE.test(wanted) ? "A lowercase letter, then lowercase letters, digits or _ (at most 40)"
        : taken ? `${ref(wanted)} is already a variable` : "";
      nameError.textContent = why;
      nameError.hidden = !why;
      if (!why) edit("Rename variable", (d) => renameVariable(d, variable.name, wanted));
    });
    const label = el("input", { type: "text", value: variable.label || "", maxlength: 64, disabled: !canEdit,
                                "data-field": `${path}.label` });
    label.addEventListener("change", () => edit("Variable label", at((v) => {
      if (label.value.trim()) v.label = label.value.trim(); else delete v.label;
    })));
    const parts = [field("Name", name, nameError), field("Label", label)];
    if (variable.kind === "text") {
      const sample = el("input", { type: "text", value: variable.sample || "", disabled: !canEdit,
                                   "data-field": `${path}.sample`, "data-variable-sample": variable.name });
      sample.addEventListener("change", () => edit("Variable sample", at((v) => { v.sample = sample.value; })));
      const longest = el("input", { type: "number", min: 1, max: 1024, step: 1, disabled: !canEdit,
                                    value: variable.max_length ?? DEFAULT_MAX_LENGTH, "data-field": `${path}.max_length` });
      longest.addEventListener("change", () => {
        const value = Number(longest.value);
        if (Number.isInteger(value) && value >= 1 && value <= 1024) edit("Variable length", at((v) => { v.max_length = value; }));
      });
      parts.push(field("Sample", sample, errorNote(problemFor(store, `${path}.sample`))),
                 field("Longest value (characters)", longest, el("p", { class: "field-hint" }, "1–1024"),
                       errorNote(problemFor(store, `${path}.max_length`))));
    } else {
      const assets = assetsOfType(store.meta, SLOT_TYPES[variable.kind]);
      if (variable.kind === "audio") assets.push(...assetsOfType(store.meta, "MUSIC"));
      const allowed = new Set(variable.allowed || []);
      const sample = el("select", { disabled: !canEdit, "data-field": `${path}.sample`, "data-variable-sample": variable.name },
        [...allowed].map((id) => el("option", { value: id, selected: id === variable.sample },
                                    assets.find((a) => a.asset_id === id)?.asset_name || id)));
      sample.addEventListener("change", () => edit("Variable sample", at((v) => { v.sample = sample.value; })));
      const choices = el("fieldset", { class: "ed-allowed" }, el("legend", {}, "A row may choose"),
        assets.map((asset) => {
          const box = el("input", { type: "checkbox", value: asset.asset_id, checked: allowed.has(asset.asset_id),
                                    disabled: !canEdit });
          box.addEventListener("change", () => edit("Allowed assets", at((v) => {
            const next = new Set(v.allowed || []);
            if (box.checked) next.add(asset.asset_id); else next.delete(asset.asset_id);
            v.allowed = [...next];
            if (!next.has(v.sample)) v.sample = v.allowed[0] || "";
          })));
          return el("label", { class: "check" }, box, asset.asset_name || asset.asset_id);
        }), errorNote(problemFor(store, `${path}.allowed`)));
      parts.push(field("Sample", sample, errorNote(problemFor(store, `${path}.sample`))), choices);
    }
    const where = variable.kind === "text"
      ? `Write ${ref(variable.name)} in a script or a text layer.`
      : `Choose “${ref(variable.name)}” in a layer's ${variable.kind} picker.`;
    const remove = el("button", { type: "button", class: "btn btn-ghost btn-small", hidden: !canEdit,
                                  "data-remove-variable": variable.name }, "Remove");
    remove.addEventListener("click", () => edit("Remove variable", (d) => removeVariable(d, variable.name)));
    return el("section", { class: "ed-variable card", "data-variable": variable.name },
      el("header", { class: "ed-variable-head" }, el("strong", {}, ref(variable.name)),
         el("span", { class: "muted small" }, KIND_LABELS[variable.kind]), remove),
      ...parts,
      el("p", { class: used ? "field-hint" : "field-hint ed-unused" }, used ? `Used ${used}×. ${where}` : `Not used yet. ${where}`),
      errorNote(problemFor(store, `${path}.name`)));
  }

  function render() {
    const doc = store.doc;
    const counts = usage(doc);
    const problem = store.problem || store.refusal;
    const signature = JSON.stringify([doc.template, counts, problem?.field?.startsWith("template") ? problem : null]);
    if (signature === drawn) return;
    drawn = signature;
    const variables = variablesOf(doc);
    const kind = el("select", { "aria-label": "Kind of variable", disabled: !canEdit },
                    KINDS.map((k) => el("option", { value: k }, KIND_LABELS[k])));
    const add = el("button", { type: "button", class: "btn btn-small", hidden: !canEdit, "data-add-variable": true },
                   "Add variable");
    add.addEventListener("click", () => {
      const chosen = kind.value;
      const first = chosen === "text" ? null : firstAssetFor(store.meta, chosen);
      edit("Add variable", (d) => addVariable(d, { name: freeName(d, chosen === "text" ? "variable" : chosen), kind: chosen,
                                                   firstAsset: first }));
    });
    const outputName = el("input", { type: "text", maxlength: 256, disabled: !canEdit || !variables.length,
                                     value: doc.template?.output_name || "", "data-field": "template.output_name",
                                     placeholder: "Welcome {{first_name}}" });
    outputName.addEventListener("change", () => edit("Video name", (d) => {
      if (!d.template) return;
      if (outputName.value.trim()) d.template.output_name = outputName.value.trim(); else delete d.template.output_name;
    }));
    root.replaceChildren(el("div", { class: "ed-props ed-variables" },
      el("p", { class: "muted small" }, variables.length
        ? "A batch fills these from each row. The canvas, thumbnails and Play show the samples."
        : "Make this script a template: add variables a batch fills from each row, such as a first name or a logo."),
      ...variables.map((v, i) => variableCard(v, i, counts[v.name] || 0)),
      variables.length ? field("Video name", outputName, errorNote(problemFor(store, "template.output_name"))) : null,
      canEdit ? el("div", { class: "control-row" }, kind, add) : null));
  }
  render();
  store.subscribe(render);
}
