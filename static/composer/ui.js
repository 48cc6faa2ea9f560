// Small page helpers shared by every page: page data, dates, toasts, field errors, element building.

export function pageData() {
  const node = document.getElementById("page-data");
  return node ? JSON.parse(node.textContent) : {};
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export function formatDate(iso) {
  return iso ? dateTime.format(new Date(iso)) : "";
}

export function formatDuration(seconds) {
  if (seconds == null || Number.isNaN(seconds)) return "";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function formatBytes(bytes) {
  if (!bytes && bytes !== 0) return "";
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}

// el("button", { class: "btn", onclick }, "Save"): text children are always text nodes, never HTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    // Through the CSSOM: the Content-Security-Policy refuses style attributes but not styles set from script.
    else if (key === "style") node.style.cssText = value;
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function toast(message, { kind = "info", timeout = 4000 } = {}) {
  const box = document.querySelector("[data-toasts]");
  if (!box) return;
  const item = el("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  box.append(item);
  setTimeout(() => item.remove(), timeout);
}

// Show an error beside a form field (`[name=<field>]` or `[data-field=<field>]`); an unknown field goes to the
// form's general error box. Returns the element that shows it.
export function showFieldError(form, field, message) {
  const input = field && form.querySelector(`[name="${CSS.escape(field)}"], [data-field="${CSS.escape(field)}"]`);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    let note = input.parentElement.querySelector(".field-error");
    if (!note) {
      note = el("p", { class: "field-error", role: "alert" });
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    return note;
  }
  let box = form.querySelector(".form-error");
  if (!box) {
    box = el("p", { class: "form-error", role: "alert" });
    form.prepend(box);
  }
  box.textContent = message;
  return box;
}

export function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error, .form-error")) node.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// The field an API error names, mapped to a form's input name: "members.username" -> "username".
export function lastSegment(path) {
  return (path || "").split(".").pop().replace(/\[\d+\]$/, "");
}

// Job states in a marketer's words, as the server says them (the page shell embeds them as #job-state-labels).
export const STATE_LABELS = JSON.parse(document.getElementById("job-state-labels")?.textContent || "{}");

// Sizes the server knows but may not write as inline styles (the pages' Content-Security-Policy forbids them):
// data-aspect="W / H" becomes the element's aspect-ratio, data-width-percent its width.
export function applySizeHints(root = document) {
  for (const node of root.querySelectorAll("[data-aspect]")) node.style.aspectRatio = node.dataset.aspect;
  for (const node of root.querySelectorAll("[data-width-percent]")) node.style.width = `${Number(node.dataset.widthPercent) || 0}%`;
}
