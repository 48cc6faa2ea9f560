// A batch: each row's video state follows the project's job websocket, and the counts follow the rows.
// Cancel rest and Retry failed go through the API, then the page is read again (retry makes new jobs).
import { projectApi } from "./api.js";
import { connectLive } from "./live.js";
import { pageData, STATE_LABELS, toast } from "./ui.js";

const data = pageData();
const api = projectApi(data.project_id);
const batchPath = `/video-batches/${data.batch.batch_id}`;

function recount() {
  const counts = {};
  for (const badge of document.querySelectorAll("[data-rows] [data-state]")) {
    counts[badge.dataset.state] = (counts[badge.dataset.state] || 0) + 1;
  }
  for (const cell of document.querySelectorAll("[data-count]")) {
    cell.textContent = String(counts[cell.dataset.count] || 0);
  }
  const retry = document.querySelector("[data-retry-failed]");
  if (retry) retry.disabled = !counts.FAILED;
  const cancel = document.querySelector("[data-cancel-rest]");
  if (cancel) cancel.disabled = !(counts.WAITING || counts.PROCESSING);
}

function showJob(job) {
  const row = document.querySelector(`[data-rows] [data-job="${CSS.escape(job.job_id)}"]`);
  if (!row) return;
  const badge = row.querySelector("[data-state]");
  badge.dataset.state = job.state;
  badge.className = `badge state-${job.state.toLowerCase()}`;
  badge.textContent = STATE_LABELS[job.state] || job.state;
  recount();
}

async function act(path, done) {
  try {
    const answer = await api.post(path, {});
    toast(done(answer));
    location.reload();
  } catch (error) {
    toast(error.message, { kind: "error" });
  }
}

document.querySelector("[data-cancel-rest]")?.addEventListener("click", () =>
  act(`${batchPath}/cancel`, (answer) => `${answer.canceled} render(s) canceled`));
document.querySelector("[data-retry-failed]")?.addEventListener("click", () =>
  act(`${batchPath}/retry`, (answer) => `${answer.job_ids.length} row(s) rendering again`));

recount();
connectLive(`/ws/projects/${data.project_id}/jobs/`, (message) => {
  if (message.type === "job") showJob(message.job);
});
