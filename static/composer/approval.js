// Approval decision page: the readable diff, review hits in words, approve/reject, then render.
import { ApiError, projectApi } from "./api.js";
import { connectLive } from "./live.js";
import { applySizeHints, clearErrors, el, pageData, showFieldError, toast } from "./ui.js";
import { renderDiff } from "./diff-view.js";
import { describePath, explainError, plainMessage, renderScript } from "./work-common.js";

applySizeHints();
const data = pageData();
const api = projectApi(data.project_id);
const scriptPath = `/digital-human-video-scripts/${data.script_id}`;

for (const node of document.querySelectorAll("[data-path]")) node.textContent = describePath(node.dataset.path);

// --- the diff: in words, computed by the server against the last approved revision (or everything, as new) ------
renderDiff(document.querySelector("[data-diff]"), { readable: data.changes });

// --- decision -------------------------------------------------------------------------------------------------
const STATE_WORDS = { APPROVED: "Approved", REJECTED: "Rejected" };
const form = document.querySelector("[data-decide-form]");
const renderBox = document.querySelector("[data-render-box]");

function showOutcome(request) {
  const badge = document.querySelector("[data-state]");
  badge.className = `badge badge-lg approval-${request.state.toLowerCase()}`;
  badge.textContent = STATE_WORDS[request.state] || request.state;
  const outcome = document.querySelector("[data-outcome]");
  outcome.replaceChildren(el("p", {}, el("strong", {}, STATE_WORDS[request.state]), ` by ${request.decided_by}.`),
    request.decision_comment && el("blockquote", { class: "comment" }, request.decision_comment));
  outcome.hidden = false;
  form.remove();
  if (renderBox && request.state === "APPROVED") renderBox.hidden = false;
}

async function decide(action, button) {
  clearErrors(form);
  const comment = form.elements.comment.value.trim();
  button.disabled = true;
  try {
    const request = await api.post(`${scriptPath}/${action}`, { revision: data.revision, comment });
    showOutcome(request);
    toast(action === "approve" ? `Revision ${data.revision} approved` : "Rejected; the author can see your comment",
          { kind: "success" });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // The comment rule goes beside the comment; self-approval, review hits and stale requests above the form.
    showFieldError(form, error.field === "comment" ? "comment" : "", explainError(error));
  } finally {
    button.disabled = false;
  }
}

// Someone else decided, or the script moved on, while this page was open: say so and close the form.
function replaced() {
  const badge = document.querySelector("[data-state]");
  badge.className = "badge badge-lg approval-superseded";
  badge.textContent = "Replaced by a newer request";
  form?.replaceWith(el("p", { class: "notice notice-warn", "data-replaced": true },
    "The script changed while this page was open, so this request was replaced. ",
    el("a", { href: data.inbox_href }, "Open the approvals inbox"), " for the newest one."));
}

if (data.request.state === "PENDING") {
  connectLive(`/ws/projects/${data.project_id}/approvals/`, (event) => {
    if (event.type !== "approval" || event.script_id !== data.script_id || !form?.isConnected) return;
    const latest = event.approval.latest_request;
    if (!latest) return;
    if (latest.request_id !== data.request.request_id || latest.state === "SUPERSEDED") replaced();
    else if (latest.state === "APPROVED" || latest.state === "REJECTED") showOutcome(latest);
  });
}

if (form) {
  form.querySelector("[data-approve]").addEventListener("click", (event) => decide("approve", event.currentTarget));
  form.querySelector("[data-reject]").addEventListener("click", (event) => decide("reject", event.currentTarget));
}

document.querySelector("[data-render]")?.addEventListener("click", async (event) => {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    const jobId = await renderScript(api, data.script_id, data.request.script_name);
    location.assign(data.job_href.replace("JOB_ID", jobId));
  } catch (error) {
    button.disabled = false;
    renderBox.querySelector(".form-error")?.remove();
    renderBox.append(el("p", { class: "form-error", role: "alert" }, plainMessage(error)));
  }
});
