// The render dialog: the video's name and where to say it is done (the spec's callback_config), then a job for a
// script's approved revision. Opened by the editor's review bar and by "Render again" on the video page, which
// fills in the old values to edit.
import { el } from "./ui.js";
import { renderScript, submitting } from "./work-common.js";

let dialog = null;

function ensureDialog() {
  if (dialog) return dialog;
  document.head.append(el("link", { rel: "stylesheet", href: new URL("./render-dialog.css", import.meta.url).href }));
  dialog = el("dialog", { class: "render-dialog", "aria-labelledby": "render-title" });
  document.body.append(dialog);
  return dialog;
}

// values: {asset_name, callback_url, auth_type}; summary: [[label, value]]; beforeRender() runs before the job is
// asked for (the editor saves pending edits); onRendered(jobId) follows it.
export function openRenderDialog({ api, scriptId, title, intro = "", summary = [], values = {}, beforeRender,
                                   onRendered }) {
  const box = ensureDialog();
  const confirm = el("button", { class: "btn btn-primary", type: "submit", "data-confirm-render": true }, "Render video");
  const cancel = el("button", { class: "btn", type: "button", onclick: () => box.close() }, "Cancel");
  const authType = el("select", { name: "auth_type", id: "render-auth" },
    el("option", { value: "NONE" }, "None (the address carries its own credentials)"),
    el("option", { value: "MSS_A" }, "Signed with a key (HMAC-SHA256)"));
  authType.value = values.auth_type === "MSS_A" ? "MSS_A" : "NONE";
  const keyField = el("div", { class: "field", hidden: authType.value !== "MSS_A" },
    el("label", { for: "render-key" }, "Signing key"),
    el("input", { name: "key", id: "render-key", type: "password", autocomplete: "off", maxlength: 256 }),
    values.callback_url && el("p", { class: "field-hint" }, "Type the signing key again: a saved key is never shown."));
  authType.addEventListener("change", () => { keyField.hidden = authType.value !== "MSS_A"; });
  const form = el("form", { method: "dialog", class: "render-form", novalidate: true },
    el("div", { class: "field" }, el("label", { for: "render-name" }, "Video name"),
      el("input", { name: "asset_name", id: "render-name", maxlength: 256, value: values.asset_name || "Video" })),
    el("details", { class: "render-callback", open: Boolean(values.callback_url) },
      el("summary", {}, "Notify a web address when it is done"),
      el("div", { class: "field" }, el("label", { for: "render-callback" }, "Callback URL"),
        el("input", { name: "callback_url", id: "render-callback", type: "url", value: values.callback_url || "",
                      placeholder: "https://example.com/hooks/video" }),
        el("p", { class: "field-hint" }, "Receives a POST with result (SUCCEED or FAILED), job_id and asset_id.")),
      el("div", { class: "field" }, el("label", { for: "render-auth" }, "Authentication"), authType), keyField),
    el("div", { class: "dialog-actions" }, cancel, confirm));
  box.replaceChildren(el("h2", { id: "render-title" }, title),
    intro && el("p", { class: "muted small" }, intro),
    summary.length ? el("dl", { class: "render-summary" },
      ...summary.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)])) : null,
    form);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = form.elements;
    const url = fields.callback_url.value.trim();
    const callback = url ? { callback_url: url, auth_type: fields.auth_type.value,
                             ...(fields.auth_type.value === "MSS_A" ? { key: fields.key.value } : {}) } : null;
    submitting(form, confirm, async () => {
      if (beforeRender) await beforeRender();
      const jobId = await renderScript(api, scriptId, fields.asset_name.value.trim() || values.asset_name, callback);
      onRendered(jobId);
    });
  });
  box.showModal();
  box.dispatchEvent(new CustomEvent("render-dialog-open"));
  return box;
}
