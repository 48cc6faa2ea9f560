// A live table of video jobs: rows come from the page, then follow the project's job websocket.
import { connectLive } from "./live.js";
import { el, formatDate, STATE_LABELS } from "./ui.js";

export function jobDetail(job) {
  const p = job.progress;
  if (job.state === "PROCESSING") {
    const eta = p.eta_seconds != null ? ` · about ${Math.ceil(p.eta_seconds)} s left` : "";
    const frames = p.frames_total ? ` · ${p.frames_done}/${p.frames_total} frames` : "";
    return `${p.stage}${frames} · ${p.percent}%${eta}`;
  }
  if (job.state === "FAILED" && job.error_info) return job.error_info.error_msg;
  if (job.state === "WAITING") return "Queued";
  return `${p.percent}%`;
}

export function jobHref(projectId, job) {
  return `/p/${projectId}/videos/${job.job_id}`;
}

function buildRow(projectId, job) {
  const name = el("a", { href: jobHref(projectId, job) });
  return el("tr", { dataset: { job: job.job_id } },
    el("td", { class: "name" }, name),
    el("td", {}, el("span", { class: "badge" })),
    el("td", { class: "progress-cell" }, el("div", { class: "bar" }, el("span")),
       el("span", { class: "small muted", "data-detail": true })),
    el("td", { class: "small muted", "data-created": true }),
    el("td", { class: "actions" }));
}

export function showJob(table, projectId, job) {
  let row = table.querySelector(`[data-job="${CSS.escape(job.job_id)}"]`);
  if (!row) {
    row = buildRow(projectId, job);
    table.prepend(row);
  }
  row.querySelector(".name a").textContent = job.output_asset_config.asset_name || "Untitled video";
  const badge = row.querySelector(".badge");
  badge.className = `badge state-${job.state.toLowerCase()}`;
  badge.textContent = STATE_LABELS[job.state] || job.state;
  row.querySelector(".bar span").style.width = `${job.progress.percent}%`;
  row.querySelector("[data-detail]").textContent = jobDetail(job);
  row.querySelector("[data-created]").textContent = formatDate(job.create_time);
  const actions = row.querySelector(".actions");
  actions.replaceChildren();
  if (job.output_asset_config.preview_video_url) {
    actions.append(el("a", { href: `${job.output_asset_config.preview_video_url}&download=1` }, "Download"));
  }
}

// Fill `table` (a tbody) with `jobs` and keep it live. `onChange(job)` runs after each update.
export function mountJobTable(table, projectId, jobs, { onChange = () => {}, limit = 50 } = {}) {
  for (const job of [...jobs].reverse()) showJob(table, projectId, job);
  return connectLive(`/ws/projects/${projectId}/jobs/`, (message) => {
    if (message.type !== "job") return;
    showJob(table, projectId, message.job);
    while (table.rows.length > limit) table.lastElementChild.remove();
    onChange(message.job);
  });
}
