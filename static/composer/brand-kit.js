// Brand kit page: the palette is edited here (add, change, remove colours); Save sends the whole form to
// PUT /v1/<project>/brand-kit, and a refusal is shown beside the field it names.
import { projectApi } from "./api.js";
import { clearErrors, el, pageData, showFieldError, toast } from "./ui.js";

const data = pageData();
const api = projectApi(data.project_id);
const form = document.querySelector("[data-brand-form]");
const palette = form.querySelector("[data-palette]");
const addButton = form.querySelector("[data-add-colour]");
let colours = [...data.palette];

function renderPalette() {
  palette.replaceChildren(...colours.map((colour, index) => {
    const input = el("input", { type: "color", name: `palette[${index}]`, value: colour.toLowerCase(),
                                "aria-label": `Colour ${index + 1}` });
    const code = el("code", {}, colour.toUpperCase());
    input.addEventListener("input", () => { colours[index] = input.value.toUpperCase(); code.textContent = colours[index]; });
    return el("div", { class: "palette-item", "data-colour": colour.toUpperCase() }, input, code,
      data.can_edit ? el("button", { class: "btn btn-small", type: "button", "aria-label": `Remove colour ${index + 1}`,
        onclick: () => { colours.splice(index, 1); renderPalette(); } }, "×") : null);
  }));
  if (!colours.length) palette.append(el("p", { class: "muted small" }, "No colours yet."));
  if (addButton) addButton.disabled = colours.length >= data.max_colours;
}

addButton?.addEventListener("click", () => {
  colours.push("#000000");
  renderPalette();
  palette.querySelector(`[name="palette[${colours.length - 1}]"]`)?.focus();
});

function body() {
  const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
  const value = (name) => form.querySelector(`[name="${name}"]`).value;
  const style = {};
  if (form.querySelector("[data-use-style]").checked) {
    for (const input of form.querySelectorAll('[name^="subtitle_style."]')) {
      if (input.value === "") continue;
      const name = input.name.slice("subtitle_style.".length);
      style[name] = input.type === "number" ? Number(input.value) : input.value.toUpperCase();
    }
  }
  return { palette: colours, font_asset_ids: checked("font_asset_ids"), logo_asset_ids: checked("logo_asset_ids"),
           intro_asset_id: value("intro_asset_id"), outro_asset_id: value("outro_asset_id"),
           music_asset_id: value("music_asset_id"), subtitle_style: style };
}

// "font_asset_ids[1]" is shown beside its list, "palette[2]" beside that colour.
function showError(error) {
  const field = error.field || "";
  const known = field && form.querySelector(`[name="${CSS.escape(field)}"], [data-field="${CSS.escape(field)}"]`);
  showFieldError(form, known ? field : field.replace(/\[\d+\]$/, ""), error.message);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  try {
    const kit = await api.put("/brand-kit", body());
    colours = [...kit.palette];
    renderPalette();
    toast("Brand kit saved", { kind: "success" });
  } catch (error) {
    showError(error);
  }
});

renderPalette();
