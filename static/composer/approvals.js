// Approvals inbox: a request or a decision made elsewhere shows as a notice with a refresh, not a silent change.
import { connectLive } from "./live.js";
import { el, pageData } from "./ui.js";

const data = pageData();
const notice = document.querySelector("[data-live-notice]");
const changes = [];

function said(approval) {
  const request = approval.latest_request;
  if (!request) return null;
  if (request.state === "PENDING") return `${request.requested_by} asked for approval of “${request.script_name}”`;
  if (request.state === "APPROVED" || request.state === "REJECTED") {
    return `${request.decided_by} ${request.state === "APPROVED" ? "approved" : "rejected"} “${request.script_name}”`;
  }
  return `“${request.script_name}” was edited, so its request was replaced`;
}

connectLive(`/ws/projects/${data.project_id}/approvals/`, (event) => {
  if (event.type !== "approval") return;
  const text = said(event.approval);
  if (!text) return;
  changes.push(text);
  notice.replaceChildren(
    el("span", {}, changes.length === 1 ? `${text}.` : `${changes.length} changes, the latest: ${text}.`),
    el("button", { class: "btn btn-small btn-primary", type: "button", "data-refresh": true,
                   onclick: () => location.reload() }, "Refresh"));
  notice.hidden = false;
});
