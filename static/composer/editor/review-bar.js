// The editor's review bar: where the current revision stands (approval), "Request approval", and "Render".
// Mounted by the editor as mountReviewBar(root, store); reads store.meta and store.saveState, uses store.flush().
import { projectApi } from "../api.js";
import { connectLive } from "../live.js";
import { el, toast } from "../ui.js";
import { explainError, renderScript, submitting } from "../work-common.js";

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
    ["Format", `MP4 · ${video.codec || "H264"} · ${video.frame_rate || 25} fps`],
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

  requestButton?.addEventListener("click", () => run(async () => {
    const revision = await saved();
    const request = await api.post(`/digital-human-video-scripts/${meta.scriptId}/approval-requests`, { revision });
    approval = { ...(approval || {}), state: request.state, latest_request: request };
  }));

  const dialog = renderButton && el("dialog", { class: "render-dialog", "aria-labelledby": "render-title" });
  if (dialog) {
    document.body.append(dialog);
    renderButton.addEventListener("click", () => {
      const rows = outputSummary(store.doc).flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]);
      const confirm = el("button", { class: "btn btn-primary", type: "submit", "data-confirm-render": true }, "Render video");
      const cancel = el("button", { class: "btn", type: "button", onclick: () => dialog.close() }, "Cancel");
      // Where to tell another system that the video is ready (the spec's callback_config), optional.
      const authType = el("select", { name: "auth_type", id: "render-auth" },
        el("option", { value: "NONE" }, "None (the address carries its own credentials)"),
        el("option", { value: "MSS_A" }, "Signed with a key (HMAC-SHA256)"));
      const keyField = el("div", { class: "field", hidden: true },
        el("label", { for: "render-key" }, "Signing key"),
        el("input", { name: "key", id: "render-key", type: "password", autocomplete: "off", maxlength: 256 }));
      authType.addEventListener("change", () => { keyField.hidden = authType.value !== "MSS_A"; });
      const form = el("form", { method: "dialog", class: "render-form", novalidate: true },
        el("div", { class: "field" }, el("label", { for: "render-name" }, "Video name"),
          el("input", { name: "asset_name", id: "render-name", maxlength: 256, value: meta.scriptName || "Video" })),
        el("details", { class: "render-callback" }, el("summary", {}, "Notify a web address when it is done"),
          el("div", { class: "field" }, el("label", { for: "render-callback" }, "Callback URL"),
            el("input", { name: "callback_url", id: "render-callback", type: "url", placeholder: "https://example.com/hooks/video" }),
            el("p", { class: "field-hint" }, "Receives a POST with result (SUCCEED or FAILED), job_id and asset_id.")),
          el("div", { class: "field" }, el("label", { for: "render-auth" }, "Authentication"), authType), keyField),
        el("div", { class: "dialog-actions" }, cancel, confirm));
      dialog.replaceChildren(el("h2", { id: "render-title" }, `Render “${meta.scriptName || "this script"}”`),
        el("p", { class: "muted small" }, `The latest saved revision renders${approval?.approved_revision ? " (the approved one)" : ""}. You can follow it live on the video page.`),
        el("dl", { class: "render-summary" }, ...rows), form);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const values = form.elements;
        const callback = values.callback_url.value.trim() ? {
          callback_url: values.callback_url.value.trim(), auth_type: values.auth_type.value,
          ...(values.auth_type.value === "MSS_A" ? { key: values.key.value } : {}) } : null;
        submitting(form, confirm, async () => {
          await saved();
          const jobId = await renderScript(api, meta.scriptId, values.asset_name.value.trim() || meta.scriptName, callback);
          location.assign(meta.urls.job.replace("JOB_ID", jobId));
        });
      });
      dialog.showModal();
    });
  }

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
