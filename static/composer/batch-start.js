// New batch: choose a template, give rows (a CSV/XLSX file or pasted text), match columns to variables, check
// every row through the rows/check API, then start the batch through the batches API and open its page.
// Start stays disabled until the latest check accepted every row and the template's latest revision is approved.
import { ApiError, projectApi, upload } from "./api.js";
import { clearErrors, el, pageData, showFieldError, toast } from "./ui.js";

const data = pageData();
const api = projectApi(data.project_id);
const form = document.querySelector("[data-batch-start]");
const $ = (selector) => form?.querySelector(selector);
const templates = new Map((data.templates || []).map((t) => [t.script_id, t]));
let columns = null;     // the columns of the current rows, once read: {columns, mapping, count}
let checked = null;     // the latest check's answer for the current rows, template and mapping
let generation = 0;     // bumped whenever the rows, template or mapping change: an older answer is dropped

const chosen = () => templates.get($("[name=script_id]").value);
const file = () => $("[name=file]").files[0] || null;
const pasted = () => $("[name=csv]").value;
const scriptPath = (path) => `/digital-human-video-scripts/${encodeURIComponent(chosen().script_id)}${path}`;
const varRef = (name) => `{{${name}}}`;

// The rows as the API takes them: multipart with the file, or JSON with the pasted text; null (and an error
// beside the field) when there are none or the file is too large.
function source() {
  const chosenFile = file();
  if (chosenFile) {
    if (chosenFile.size > data.max_bytes) {
      showFieldError(form, "file", `file: is larger than ${Math.round(data.max_bytes / 1048576)} MB, the limit for rows`);
      return null;
    }
    return { file: chosenFile };
  }
  if (pasted().trim()) return { csv: pasted() };
  showFieldError(form, "file", "file: choose a CSV or Excel file, or paste rows below (header line first)");
  return null;
}

async function send(path, rows, extra) {
  if (rows.file) {
    const formData = new FormData();
    for (const [key, value] of Object.entries(extra)) {
      formData.append(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    formData.append("file", rows.file);
    return upload(api.url(path), formData);
  }
  return api.post(path, { ...extra, csv: rows.csv });
}

// An API refusal beside the field it names: the file or pasted text, the mapping, the template, or the form.
function showError(error) {
  const field = error instanceof ApiError ? error.field : "";
  const target = field.startsWith("mapping") ? "mapping" : field === "csv" ? "csv"
    : field === "script_id" ? "script_id" : field === "file" || field === "rows" ? "file" : "";
  showFieldError(form, target, error.message);
}

function mapping() {
  const chosenMapping = {};
  for (const select of form.querySelectorAll("[data-mapping] select")) {
    if (select.value) chosenMapping[select.dataset.column] = select.value;
  }
  return chosenMapping;
}

function showVariables() {
  const template = chosen();
  $("[data-sample-csv]").href = api.url(scriptPath("/rows/sample.csv"));
  $("[data-variables]").textContent = `Variables: ${template.variables.map((v) => `${varRef(v.name)} (${v.kind})`).join(", ")}`;
  const note = $("[data-approval-note]");
  note.hidden = template.approved;
  note.replaceChildren();
  if (!template.approved) {
    const editor = data.editor_href.replace("SCRIPT_ID", encodeURIComponent(template.script_id));
    note.append(`Revision ${template.revision} of “${template.script_name}” is not approved, so it cannot be rendered as a batch yet. `,
      el("a", { href: editor }, "Ask for approval in the editor"), ".");
  }
}

function showMapping() {
  const box = $("[data-mapping]");
  const section = form.querySelector("[data-mapping-section]");
  box.replaceChildren();
  section.hidden = !columns;
  if (!columns) return;
  $("[data-columns-summary]").textContent = `${columns.count} row${columns.count === 1 ? "" : "s"}, ` +
    `${columns.columns.length} column${columns.columns.length === 1 ? "" : "s"}: choose the variable each column fills.`;
  columns.columns.forEach((column, index) => {
    const id = `map-${index}`;
    const select = el("select", { id, dataset: { column }, onchange: () => { generation += 1; checked = null; update(); } },
      el("option", { value: "" }, "Not used"),
      chosen().variables.map((v) => el("option", { value: v.name, selected: columns.mapping[column] === v.name },
        `${varRef(v.name)}${v.label ? ` · ${v.label}` : ""}`)));
    box.append(el("div", { class: "field", dataset: { mapColumn: column } }, el("label", { for: id }, column), select));
  });
}

function reasonText(reason) {
  // The rule's name (too_long, missing...) is the API's word: the page says the message, and keeps the name as
  // the item's data-rule for styling and tests.
  return reason.column ? `column “${reason.column}”: ${reason.message}` : reason.message;
}

function showResults() {
  const section = $("[data-check-results]");
  section.hidden = !checked;
  if (!checked) return;
  const names = chosen().variables.map((v) => v.name);
  $("[data-check-summary]").textContent = checked.refused
    ? `${checked.refused} of ${checked.count} rows refused: fix them in the file (or remove them) and check again.`
    : `All ${checked.count} rows accepted.`;
  $("[data-results-head]").replaceChildren(el("tr", {}, el("th", {}, "Row"), names.map((name) => el("th", {}, varRef(name))),
    el("th", {}, "Video"), el("th", {}, "Check")));
  $("[data-results]").replaceChildren(...checked.rows.map((row) => el("tr",
    { class: row.ok ? "row-accepted" : "row-refused", dataset: { row: row.row, ok: row.ok ? "yes" : "no" } },
    el("td", { class: "small muted" }, String(row.row)),
    names.map((name) => el("td", {}, row.values[name] ?? "")),
    el("td", {}, row.output_name || ""),
    el("td", {}, row.ok ? el("span", { class: "row-ok" }, "OK")
      : el("ul", { class: "row-reasons" }, row.reasons.map((reason) => el("li", { dataset: { rule: reason.rule } }, reasonText(reason))))))));
}

// Start is possible only for an approved template whose rows were all accepted by the latest check.
function update() {
  const template = chosen();
  const why = !template.approved ? `Start is off: revision ${template.revision} of this template is not approved.`
    : !checked ? "Check the rows before starting."
      : checked.refused ? `Start is off: ${checked.refused} row${checked.refused === 1 ? " is" : "s are"} refused.`
        : `Ready: ${checked.count} video${checked.count === 1 ? "" : "s"} will render.`;
  $("[data-start]").disabled = !(template.approved && checked && !checked.refused);
  $("[data-start-why]").textContent = why;
  showResults();
}

// New rows or another template: read the columns again (the mapping starts from the columns' names).
async function readColumns() {
  clearErrors(form);
  generation += 1;
  const asked = generation;
  columns = null;
  checked = null;
  showMapping();
  update();
  if (!file() && !pasted().trim()) return false;
  const rows = source();
  if (!rows) return false;
  let found;
  try {
    found = await send(scriptPath("/rows/columns"), rows, {});
  } catch (error) {
    if (asked === generation) showError(error);
    return false;
  }
  if (asked !== generation) return false;
  columns = found;
  showMapping();
  update();
  return true;
}

async function check() {
  clearErrors(form);
  if (!columns && !(await readColumns())) {
    if (!form.querySelector(".field-error, .form-error")) source();
    return;
  }
  const rows = source();
  if (!rows) return;
  const button = $("[data-check]");
  button.disabled = true;
  const asked = generation;
  try {
    const answer = await send(scriptPath("/rows/check"), rows, { mapping: mapping() });
    checked = asked === generation ? answer : null;
  } catch (error) {
    checked = null;
    if (asked === generation) showError(error);
  } finally {
    button.disabled = false;
    update();
  }
}

async function start() {
  clearErrors(form);
  const rows = source();
  if (!rows) return;
  const button = $("[data-start]");
  button.disabled = true;
  try {
    const made = await send("/video-batches", rows, { script_id: chosen().script_id, mapping: mapping() });
    toast(`Batch started: ${made.job_ids.length} video${made.job_ids.length === 1 ? "" : "s"}`, { kind: "success" });
    location.assign(data.batch_href.replace("BATCH_ID", encodeURIComponent(made.batch_id)));
  } catch (error) {
    showError(error);
    update();
  }
}

if (form) {
  $("[name=script_id]").addEventListener("change", () => { showVariables(); readColumns(); });
  $("[name=file]").addEventListener("change", () => readColumns());
  $("[name=csv]").addEventListener("change", () => { if (!file()) readColumns(); });
  $("[data-check]").addEventListener("click", check);
  $("[data-start]").addEventListener("click", start);
  showVariables();
  update();
}
