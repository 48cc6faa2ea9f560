// Projects page: keep each project's job table in step with the job websocket.
import { connectLive } from "./live.js";

const STATE_LABELS = { WAITING: "Waiting", PROCESSING: "Rendering", SUCCEED: "Ready", FAILED: "Failed", CANCELED: "Canceled" };
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function formatDate(iso) {
  return iso ? dateFormat.format(new Date(iso)) : "";
}

function detailText(job) {
  const p = job.progress;
  if (job.state === "PROCESSING") {
    const eta = p.eta_seconds != null ? ` · about ${Math.ceil(p.eta_seconds)} s left` : "";
    return `${p.stage} · ${p.frames_done}/${p.frames_total} frames · ${p.percent}%${eta}`;
  }
  if (job.state === "FAILED" && job.error_info) return job.error_info.error_msg;
  return `${p.percent}%`;
}

function rowFor(table, job) {
  let row = table.querySelector(`[data-job="${job.job_id}"]`);
  if (!row) {
    row = document.createElement("tr");
    row.dataset.job = job.job_id;
    row.innerHTML = `<td class="name"></td><td><span class="badge"></span></td>
      <td class="progress-cell"><div class="bar"><span></span></div><span class="small muted" data-detail></span></td>
      <td class="small muted" data-created></td><td class="actions"></td>`;
    table.prepend(row);
  }
  return row;
}

function show(section, job) {
  const table = section.querySelector("[data-jobs]");
  const row = rowFor(table, job);
  row.querySelector(".name").textContent = job.output_asset_config.asset_name || "Untitled video";
  const badge = row.querySelector(".badge");
  badge.className = `badge state-${job.state.toLowerCase()}`;
  badge.textContent = STATE_LABELS[job.state] || job.state;
  row.querySelector(".bar span").style.width = `${job.progress.percent}%`;
  row.querySelector("[data-detail]").textContent = detailText(job);
  row.querySelector("[data-created]").textContent = formatDate(job.create_time);
  const actions = row.querySelector(".actions");
  actions.replaceChildren();
  if (job.output_asset_config.preview_video_url) {
    const link = document.createElement("a");
    link.href = `${job.output_asset_config.preview_video_url}&download=1`;
    link.textContent = "Download";
    actions.append(link);
  }
  section.querySelector("[data-empty]").hidden = true;
}

for (const section of document.querySelectorAll("[data-project]")) {
  for (const cell of section.querySelectorAll("[data-created]")) cell.textContent = formatDate(cell.dataset.created);
  for (const badge of section.querySelectorAll("[data-state]")) badge.textContent = STATE_LABELS[badge.dataset.state];
  connectLive(`/ws/projects/${section.dataset.project}/jobs/`, (message) => {
    if (message.type === "job") show(section, message.job);
  });
}
