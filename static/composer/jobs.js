// Videos list: the page's rows, then live updates from the project's job websocket, within the state filter.
import { showJob } from "./jobtable.js";
import { connectLive } from "./live.js";
import { pageData } from "./ui.js";
import { explainFailure } from "./work-common.js";

const data = pageData();
const table = document.querySelector("[data-jobs]");
const empty = document.querySelector("[data-empty]");
const status = document.querySelector("[data-live]");
const STATUS_WORDS = { live: "Live", reconnecting: "Reconnecting…" };

// A failure reads as what happened in plain words; the job page has the technical detail.
function show(job) {
  showJob(table, data.project_id, job);
  if (job.state !== "FAILED" || !job.error_info) return;
  const detail = table.querySelector(`[data-job="${CSS.escape(job.job_id)}"] [data-detail]`);
  detail.textContent = explainFailure(job.error_info).message;
  detail.title = job.error_info.error_msg;
}

for (const job of [...data.jobs].reverse()) show(job);

function belongs(job) {
  const listed = table.querySelector(`[data-job="${CSS.escape(job.job_id)}"]`);
  // A job already listed keeps updating; a new one appears only on the first page, and only if the filter fits.
  return listed || (data.first_page && (!data.states.length || data.states.includes(job.state)));
}

connectLive(`/ws/projects/${data.project_id}/jobs/`, (message) => {
  if (message.type !== "job" || !belongs(message.job)) return;
  show(message.job);
  while (table.rows.length > data.per_page) table.lastElementChild.remove();
  empty.hidden = true;
}, {
  onStatus(state) {
    status.dataset.status = state;
    status.textContent = STATUS_WORDS[state] || state;
  },
});
