// API keys page: the caller's AK/SK pairs and auth tokens; a secret is shown once, in a dialog, at creation.
import { projectApi } from "./api.js";
import { clearErrors, el, formatDate, pageData, showFieldError, toast } from "./ui.js";
import { pageDialogs, plainMessage, submitting } from "./work-common.js";

const data = pageData();
const api = projectApi(data.project_id);
const dialogs = pageDialogs();

// The two kinds of credential: where they live in the API, how a row names itself, what the secret is called.
const KINDS = {
  "access-keys": { listField: "access_keys", id: (row) => row.ak, name: (row) => row.ak, secretField: "sk",
                   title: "Your new access key", labels: ["Access key (AK)", "Secret key (SK)"] },
  "auth-tokens": { listField: "auth_tokens", id: (row) => String(row.id), name: (row) => `${row.prefix}…`,
                   secretField: "token", title: "Your new auth token", labels: [null, "Token (X-Auth-Token)"] },
};
const lists = {};

// Copy `text` and say so on the button for a moment (the clipboard may be unavailable over plain HTTP).
async function copyText(button, text) {
  await navigator.clipboard?.writeText(text).catch(() => {});
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = "Copy"; }, 1500);
}

function copyButton(text) {
  return el("button", { class: "btn btn-small", type: "button", onclick: (event) => copyText(event.currentTarget, text) },
    "Copy");
}

function keyRow(kind, row) {
  const spec = KINDS[kind];
  return el("tr", { "data-row": spec.id(row) },
    el("td", { class: "mono" }, spec.name(row)),
    el("td", {}, row.description || el("span", { class: "muted" }, "—")),
    el("td", { class: "small muted nowrap" }, formatDate(row.create_time)),
    el("td", { class: "small muted nowrap" }, row.last_used_time ? formatDate(row.last_used_time) : "Never"),
    el("td", { class: "row-actions" }, el("button", { class: "btn btn-small btn-danger", type: "button",
      "data-revoke": spec.id(row), onclick: () => openRevoke(kind, row) }, "Revoke")));
}

function render(kind) {
  const body = document.querySelector(`[data-list="${kind}"]`);
  const rows = lists[kind];
  body.replaceChildren(...(rows.length ? rows.map((row) => keyRow(kind, row))
    : [el("tr", {}, el("td", { colspan: 5, class: "muted" }, kind === "access-keys"
      ? "No access keys yet. Create one to call the API with the SDK." : "No tokens yet."))]));
  if (kind === "access-keys") renderSnippet();
}

async function load(kind) {
  lists[kind] = (await api.get(`/${kind}`))[KINDS[kind].listField];
  render(kind);
}

function renderSnippet(ak = lists["access-keys"]?.[0]?.ak || "YOUR_AK") {
  const snippet = `import os

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkmetastudio.v1 import ListDigitalHumanVideoRequest, MetaStudioClient

# Keep the SK out of the code: export COMPOSER_SK=<your secret key>
credentials = BasicCredentials("${ak}", os.environ["COMPOSER_SK"], "${data.project_id}")
client = (MetaStudioClient.new_builder()
          .with_credentials(credentials)
          .with_endpoints(["${data.endpoint}"])
          .build())
print(client.list_digital_human_video(ListDigitalHumanVideoRequest(limit=10)))`;
  document.querySelector("[data-snippet]").textContent = snippet;
}

document.querySelector("[data-copy-snippet]").addEventListener("click", (event) =>
  copyText(event.currentTarget, document.querySelector("[data-snippet]").textContent));

function showSecret(kind, created) {
  const spec = KINDS[kind];
  dialogs.secret.querySelector("[data-secret-title]").textContent = spec.title;
  const fields = [];
  if (spec.labels[0]) fields.push([spec.labels[0], spec.id(created)]);
  fields.push([spec.labels[1], created[spec.secretField]]);
  dialogs.secret.querySelector("[data-secret-fields]").replaceChildren(...fields.map(([label, value]) => el("div",
    { class: "field" }, el("label", {}, label),
    el("div", { class: "secret-row" }, el("code", { class: "secret", "data-secret": label }, value), copyButton(value)))));
  dialogs.secret.showModal();
}

for (const form of document.querySelectorAll("form[data-create]")) {
  const kind = form.dataset.create;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    const description = form.elements.description.value.trim();
    if (description.length > 128) {
      showFieldError(form, "description", "A label has at most 128 characters.");
      return;
    }
    submitting(form, form.querySelector("[type=submit]"), async () => {
      const created = await api.post(`/${kind}`, { description });
      form.reset();
      showSecret(kind, created);
      await load(kind);
    });
  });
}

function openRevoke(kind, row) {
  const form = dialogs.revoke.querySelector("form");
  clearErrors(form);
  form.dataset.kind = kind;
  form.dataset.id = KINDS[kind].id(row);
  dialogs.revoke.querySelector("[data-revoke-name]").textContent = KINDS[kind].name(row);
  dialogs.revoke.showModal();
}

dialogs.revoke.querySelector("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  submitting(form, form.querySelector("[data-confirm-revoke]"), async () => {
    await api.del(`/${form.dataset.kind}/${encodeURIComponent(form.dataset.id)}`);
    dialogs.revoke.close();
    toast("Revoked", { kind: "success" });
    await load(form.dataset.kind);
  });
});

for (const kind of Object.keys(KINDS)) load(kind).catch((error) => toast(plainMessage(error), { kind: "error" }));
