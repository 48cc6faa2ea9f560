// Rename in place: a "Rename" button beside a name turns it into a field (Enter saves, Escape cancels). Used by the
// editor's title, the scripts list and the video page; the page says how to save (`save(name)` calls the API).
import { ApiError } from "./api.js";
import { clearErrors, el, showFieldError } from "./ui.js";
import { plainMessage } from "./work-common.js";

const MAX_NAME = 256;
let styled = false;

function linkStyles() {
  if (styled) return;
  styled = true;
  document.head.append(el("link", { rel: "stylesheet", href: new URL("./inline-name.css", import.meta.url).href }));
}

// `host` shows the name; `what` says what is renamed ("script", "video"); `save(name)` resolves once saved.
// `compact` shows a pencil instead of the word and lets a click on the name itself start renaming (a tight bar).
export function mountInlineName(host, { name, what, save, onSaved = () => {}, compact = false }) {
  linkStyles();
  let current = name;
  const button = el("button", { class: `btn btn-ghost btn-small inline-rename${compact ? " is-compact" : ""}`,
                                type: "button", "data-rename": true, title: `Rename this ${what}`,
                                "aria-label": `Rename ${what} “${current}”` }, compact ? "✎" : "Rename");
  host.insertAdjacentElement("afterend", button);
  if (compact) {
    host.classList.add("inline-name-host");
    host.title = `${current} (click to rename)`;
    host.addEventListener("click", () => open());
  }

  function open() {
    const input = el("input", { name: "name", value: current, maxlength: MAX_NAME, required: true,
                                "aria-label": `New name of the ${what}`, autocomplete: "off" });
    const ok = el("button", { class: "btn btn-primary btn-small", type: "submit", "data-rename-save": true }, "Save");
    const cancel = el("button", { class: "btn btn-small", type: "button", "data-rename-cancel": true }, "Cancel");
    const form = el("form", { class: "inline-name-form", "data-rename-form": true, novalidate: true },
      el("div", { class: "inline-name-field" }, input), ok, cancel);
    host.hidden = true;
    button.hidden = true;
    host.insertAdjacentElement("afterend", form);
    input.focus();
    input.select();

    const close = () => {
      form.remove();
      host.hidden = false;
      button.hidden = false;
      button.focus();
    };
    cancel.addEventListener("click", close);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      const wanted = input.value.trim();
      if (!wanted) {
        showFieldError(form, "name", `Give the ${what} a name (1 to ${MAX_NAME} characters).`);
        return;
      }
      if (wanted === current) {
        close();
        return;
      }
      ok.disabled = true;
      try {
        const saved = (await save(wanted)) || wanted;
        current = saved;
        host.textContent = saved;
        host.title = compact ? `${saved} (click to rename)` : saved;
        button.setAttribute("aria-label", `Rename ${what} “${saved}”`);
        close();
        onSaved(saved);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        showFieldError(form, "name", plainMessage(error));
      } finally {
        ok.disabled = false;
      }
    });
  }

  button.addEventListener("click", open);
  return { get name() { return current; } };
}
