// A properties form for someone who can look but not edit: every input becomes its value in words, and buttons
// and editing hints go, so nothing looks like it could be clicked and nothing invites an edit.
import { el } from "../ui.js";

function valueOf(input) {
  if (input.tagName === "SELECT") return input.selectedOptions[0]?.textContent || "—";
  if (input.type === "checkbox") return input.checked ? "Yes" : "No";
  if (input.type === "range") return `${Math.round(Number(input.value) * 100)} %`;
  return input.value === "" ? "—" : input.value;
}

export function showReadOnly(form) {
  form.classList.add("is-read-only");
  for (const node of form.querySelectorAll("button, .field-hint, output")) node.remove();
  for (const input of form.querySelectorAll("input, select, textarea")) {
    const shown = el("span", { class: "ro-value", "data-value-of": input.name || "" }, valueOf(input));
    if (input.type === "color") {
      shown.prepend(el("span", { class: "ro-swatch", style: `background:${input.value}`, "aria-hidden": "true" }));
    }
    const label = input.type === "checkbox" && input.closest("label");
    if (label) {
      // "Box behind the text: Yes" rather than a box to tick.
      input.remove();
      label.append(": ", shown);
    } else {
      input.replaceWith(shown);
    }
  }
}
