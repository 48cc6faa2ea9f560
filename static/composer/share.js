// The video page's share section: create an expiring public link, list the links with their views, revoke one.
// Shown once the video is ready (at load, or when job.js reveals the result card as the render finishes).
import { projectApi } from "./api.js";
import { el, pageData, toast } from "./ui.js";
import { submitting, wireDialog } from "./work-common.js";

const data = pageData();
const api = projectApi(data.project_id);
const section = document.querySelector("[data-share]");
const list = section.querySelector("[data-share-list]");
const empty = section.querySelector("[data-share-empty]");
const canShare = section.dataset.canShare === "yes";
const base = `/2d-digital-human-videos/${data.job.job_id}/share-links`;
const STATE_WORDS = { ACTIVE: "Active", EXPIRED: "Expired", REVOKED: "Revoked" };
const dialog = document.querySelector("dialog[data-dialog=share]");
const revokeDialog = document.querySelector("dialog[data-dialog=share-revoke]");

const dayWords = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const dateWords = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function when(link) {
  if (link.state === "REVOKED") return `Revoked ${dateWords.format(new Date(link.revoke_time))}`;
  const expires = new Date(link.expire_time);
  if (link.state === "EXPIRED") return `Expired ${dateWords.format(expires)}`;
  const hours = (expires - Date.now()) / 3600e3;
  const left = hours < 24 ? dayWords.format(Math.max(1, Math.round(hours)), "hour")
                          : dayWords.format(Math.round(hours / 24), "day");
  return `Expires ${left} (${dateWords.format(expires)})`;
}

async function copy(url) {
  try {
    await navigator.clipboard.writeText(url);
    toast("Link copied", { kind: "success" });
  } catch {
    toast("Select the link and copy it", { kind: "info" });
  }
}

function row(link) {
  const views = link.view_count === 1 ? "1 view" : `${link.view_count} views`;
  const actions = el("div", { class: "share-actions" });
  if (link.state === "ACTIVE") {
    actions.append(el("button", { class: "btn btn-small", type: "button", onclick: () => copy(link.url) }, "Copy link"),
                   el("a", { class: "btn btn-small", href: link.url, target: "_blank", rel: "noopener" }, "Open"));
    if (canShare) {
      actions.append(el("button", { class: "btn btn-small btn-danger", type: "button", "data-revoke": link.link_id,
                                    onclick: () => askRevoke(link) }, "Revoke"));
    }
  }
  return el("li", { class: `share-row share-${link.state.toLowerCase()}`, dataset: { link: link.link_id, state: link.state } },
    el("div", { class: "share-what" },
       el("strong", {}, link.label), " ",
       el("span", { class: `badge share-badge share-badge-${link.state.toLowerCase()}` }, STATE_WORDS[link.state]),
       el("div", { class: "muted small" }, `${when(link)} · ${views}${link.created_by ? ` · by ${link.created_by}` : ""}`)),
    actions);
}

async function refresh() {
  const { share_links: links } = await api.get(base);
  list.replaceChildren(...links.map(row));
  empty.hidden = links.length > 0;
  section.dataset.loaded = String(links.length);
}

function askRevoke(link) {
  revokeDialog.querySelector("[data-revoke-label]").textContent = link.label;
  revokeDialog.dataset.link = link.link_id;
  revokeDialog.showModal();
}

if (dialog) {
  wireDialog(dialog);
  const form = dialog.querySelector("form");
  const result = form.querySelector("[data-share-result]");
  const create = form.querySelector("[data-share-create]");
  section.querySelector("[data-share-new]").addEventListener("click", () => {
    form.reset();
    result.hidden = true;
    create.hidden = false;
    delete dialog.dataset.created;
    dialog.showModal();
    form.elements.label.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(form, create, async () => {
      const link = await api.post(base, { label: form.elements.label.value.trim() || undefined,
                                          expires_in_days: Number(form.elements.expires_in_days.value) });
      form.querySelector("[data-share-url]").value = link.url;
      result.hidden = false;
      create.hidden = true;
      dialog.dataset.created = link.url;
      form.querySelector("[data-share-url]").select();
      await refresh();
    });
  });
  form.querySelector("[data-share-copy]").addEventListener("click", () => copy(form.querySelector("[data-share-url]").value));
}

if (revokeDialog) {
  wireDialog(revokeDialog);
  const form = revokeDialog.querySelector("form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(form, form.querySelector("[data-confirm-revoke]"), async () => {
      await api.post(`${base}/${revokeDialog.dataset.link}/revoke`);
      revokeDialog.close();
      toast("Link turned off", { kind: "success" });
      await refresh();
    });
  });
}

// job.js reveals the result card when the video is ready; the share section follows it.
function reveal() {
  if (!section.hidden) return;
  section.hidden = false;
  refresh();
}
const resultCard = document.querySelector("[data-result]");
if (data.job.state === "SUCCEED") reveal();
else if (resultCard) {
  new MutationObserver(() => { if (!resultCard.hidden) reveal(); }).observe(resultCard, { attributes: true, attributeFilter: ["hidden"] });
}
