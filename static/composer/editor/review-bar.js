// The editor's review bar: where the current revision stands (approval), "Request approval", and "Render".
// Mounted by the editor as mountReviewBar(root, store); reads store.meta and store.saveState, uses store.flush().
import { projectApi } from "../api.js";
import { connectLive } from "../live.js";
import { el, toast } from "../ui.js";
import { openRenderDialog } from "../render-dialog.js";
import { explainError, submitting } from "../work-common.js";
import { CODEC_NAMES, hasBackground } from "./transparency.js";

const STYLE_ID = "review-bar-css";

function linkStyles() {
  if (document.getElementById(STYLE_ID)) return;
  document.head.append(el("link", { id: STYLE_ID, rel: "stylesheet", href: new URL("./review-bar.css", import.meta.url).href }));
}

// The approval state of what the editor holds now: a request counts only while its content hash is the current one.
export function reviewStatus(approval, saveState) {
  const latest = approval?.latest_request || null;
  const current = latest && !saveState.dirty && latest.content_hash === saveState.contentHash;
  if (current && latest.state === "APPROVED") return { key: "approved", label: `Approved · revision ${latest.revision}`, request: latest };
  if (current && latest.state === "PENDING") return { key: "pending", label: "Waiting for approval", request: latest };
  if (current && latest.state === "REJECTED") return { key: "rejected", label: "Rejected", request: latest };
  if (approval?.approved_revision || latest?.state === "APPROVED") {
    return { key: "edited", label: "Edited since approval", request: latest };
  }
  return { key: "none", label: "Not approved", request: null };
}

function outputSummary(doc) {
  const video = doc?.video_config || {};
  const scenes = (doc?.shoot_scripts || []).length;
  return [
    ["Size", video.width && video.height ? `${video.width} × ${video.height}` : "—"],
    ["Format", `${CODEC_NAMES[video.codec || "H264"]} · ${video.frame_rate || 25} fps`],
    ...((doc?.shoot_scripts || []).some((item) => !hasBackground(item.shoot_script))
      ? [["Background", (video.codec || "H264") === "H264" ? "None in some scenes: MP4 fills them with a flat colour" : "None in some scenes: see-through"]] : []),
    ["Bitrate", video.bitrate ? `${video.bitrate} kbit/s` : "—"],
    ["Scenes", String(scenes)],
    ["Subtitles", video.is_subtitle_enable ? "Burnt in, plus SRT/VTT files" : "SRT/VTT files"],
  ];
}

export function mountReviewBar(root, store) {
  linkStyles();
  const meta = store.meta;
  const api = projectApi(meta.projectId);
  let approval = meta.approval || null;
  let busy = false;

  const badge = el("span", { class: "badge review-badge", "data-review-state": true });
  const detail = el("span", { class: "review-detail small" });
  const requestButton = meta.canRequestApproval
    ? el("button", { class: "btn btn-small", type: "button", "data-request-approval": true }, "Request approval") : null;
  const renderButton = meta.canSubmit
    ? el("button", { class: "btn btn-small btn-primary", type: "button", "data-render": true }, "Render") : null;
  const message = el("span", { class: "review-error small", role: "alert", hidden: true });
  root.replaceChildren(el("div", { class: "review-bar" }, badge, detail, message, requestButton, renderButton));

  function approvalHref(request) {
    return `${meta.urls.project}approvals/${request.request_id}`;
  }

  function fail(error) {
    message.textContent = explainError(error);
    message.hidden = false;
  }

  function update() {
    const status = reviewStatus(approval, store.saveState);
    badge.className = `badge review-badge review-${status.key}`;
    badge.textContent = status.label;
    detail.replaceChildren();
    if (status.key === "pending") detail.append(el("a", { href: approvalHref(status.request) }, "See the request"));
    if (status.key === "rejected" && status.request.decision_comment) {
      detail.append(`${status.request.decided_by}: “${status.request.decision_comment}”`);
    }
    if (status.key === "edited") detail.append("Request approval again to render the changes.");
    if (requestButton) {
      requestButton.disabled = busy || status.key === "pending" || status.key === "approved";
      requestButton.textContent = status.key === "rejected" || status.key === "edited" ? "Request approval again"
        : "Request approval";
    }
    if (renderButton) {
      const allowed = status.key === "approved" || !meta.requireApproval || meta.canApprove;
      renderButton.disabled = busy || !allowed || Boolean(store.saveState.conflict);
      renderButton.title = allowed ? "" : "An approver must approve this revision before it can render";
    }
  }

  // Pending edits are saved first so what is approved or rendered is what the editor shows.
  function saved() {
    return store.saveState.dirty || store.saveState.saving ? store.flush() : Promise.resolve(store.saveState.revision);
  }

  async function run(work) {
    busy = true;
    message.hidden = true;
    update();
    try { await work(); } catch (error) { fail(error); } finally { busy = false; update(); }
  }

  async function sendRequest(note = "") {
    const revision = await saved();
    const request = await api.post(`/digital-human-video-scripts/${meta.scriptId}/approval-requests`, { revision, note });
    approval = { ...(approval || {}), state: request.state, latest_request: request };
  }

  // Asking again for what was rejected needs a change or a note answering the rejection (the server's rule): the
  // dialog shows the rejection, takes the note, and says the server's refusal beside the note.
  function askAgain(rejected) {
    const dialog = document.querySelector("dialog.request-dialog") ||
      document.body.appendChild(el("dialog", { class: "request-dialog", "aria-labelledby": "request-title" }));
    const send = el("button", { class: "btn btn-primary", type: "submit", "data-send-request": true }, "Ask again");
    const form = el("form", { method: "dialog", novalidate: true },
      el("div", { class: "field" }, el("label", { for: "request-note" }, "Note to the approver"),
        el("textarea", { id: "request-note", name: "note", rows: 4, maxlength: 1000,
                         placeholder: "e.g. The logo is already the brand's minimum size, so I kept it" }),
        el("p", { class: "field-hint" }, "Say how you answered the rejection, or change the script first.")),
      el("div", { class: "dialog-actions" },
        el("button", { class: "btn", type: "button", onclick: () => dialog.close() }, "Cancel"), send));
    dialog.replaceChildren(el("h2", { id: "request-title" }, "Ask for approval again"),
      el("blockquote", { class: "comment request-rejection" },
        `${rejected.decided_by} rejected revision ${rejected.revision}`,
        rejected.decision_comment ? `: “${rejected.decision_comment}”` : "."),
      form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitting(form, send, async () => {
        await sendRequest(form.elements.note.value.trim());
        dialog.close();
        update();
      });
    });
    dialog.showModal();
  }

  requestButton?.addEventListener("click", () => {
    const status = reviewStatus(approval, store.saveState);
    if (status.key === "rejected") askAgain(status.request);
    else run(() => sendRequest());
  });

  renderButton?.addEventListener("click", () => openRenderDialog({
    api, scriptId: meta.scriptId, title: `Render “${meta.scriptName || "this script"}”`,
    intro: `The latest saved revision renders${approval?.approved_revision ? " (the approved one)" : ""}. You can follow it live on the video page.`,
    summary: outputSummary(store.doc), values: { asset_name: meta.scriptName || "Video" }, beforeRender: saved,
    onRendered: (jobId) => location.assign(meta.urls.job.replace("JOB_ID", jobId)),
  }));

  // A teammate's decision (or a request from another tab) shows here as it happens.
  connectLive(`/ws/projects/${meta.projectId}/approvals/`, (event) => {
    if (event.type !== "approval" || event.script_id !== meta.scriptId) return;
    const before = approval?.latest_request;
    approval = event.approval;
    const latest = approval.latest_request;
    if (latest && before?.request_id === latest.request_id && before.state === "PENDING" && latest.decided_by) {
      toast(`${latest.decided_by} ${latest.state === "APPROVED" ? "approved" : "rejected"} revision ${latest.revision}`,
            { kind: latest.state === "APPROVED" ? "success" : "info", timeout: 6000 });
    }
    update();
  });

  store.subscribe(update);
  update();
  return { update };
}
