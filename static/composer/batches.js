// Batches list: each listed batch's counts by state follow its rows' jobs over the project's job websocket.
import { connectLive } from "./live.js";
import { pageData } from "./ui.js";
import { localTimes } from "./work-common.js";

const data = pageData();
const status = document.querySelector("[data-live-status]");
const STATUS_WORDS = { live: "Live", reconnecting: "Reconnecting…" };
const batchOf = new Map();   // job id -> the listed batch it is a row of
for (const batch of data.batches || []) {
  for (const jobId of Object.keys(batch.jobs)) batchOf.set(jobId, batch);
}

function recount(batch) {
  const counts = {};
  for (const state of Object.values(batch.jobs)) counts[state] = (counts[state] || 0) + 1;
  const row = document.querySelector(`[data-batch="${CSS.escape(batch.batch_id)}"]`);
  for (const cell of row?.querySelectorAll("[data-count]") || []) {
    cell.textContent = String(counts[cell.dataset.count] || 0);
  }
}

localTimes();
if (batchOf.size) {
  connectLive(`/ws/projects/${data.project_id}/jobs/`, (message) => {
    if (message.type !== "job") return;
    const batch = batchOf.get(message.job.job_id);
    if (!batch) return;
    batch.jobs[message.job.job_id] = message.job.state;
    recount(batch);
  }, { onStatus: (word) => { if (status) status.textContent = STATUS_WORDS[word] || word; } });
} else if (status) {
  status.hidden = true;
}
