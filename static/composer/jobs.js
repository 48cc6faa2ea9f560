// Videos list: the page's rows, then live updates from the project's job websocket, within the state filter;
// search by name, tag and dates lives in the URL (live-search.js), and each row's tags can be edited.
import { projectApi } from "./api.js";
import { showJob } from "./jobtable.js";
import { connectLive } from "./live.js";
import { liveSearch } from "./live-search.js";
import { editTags } from "./tags.js";
import { el, pageData, toast } from "./ui.js";
import { explainFailure } from "./work-common.js";

let data = pageData();
const api = projectApi(data.project_id);
let table = document.querySelector("[data-jobs]");
let empty = document.querySelector("[data-empty]");
const status = document.querySelector("[data-live-status]");
const STATUS_WORDS = { live: "Live", reconnecting: "Reconnecting…" };
const tagsOf = new Map();

function showTags(row, job) {
  const tags = job.tags ?? tagsOf.get(job.job_id) ?? [];
  tagsOf.set(job.job_id, tags);
  row.querySelector(".tag-list")?.remove();
  if (tags.length) {
    row.querySelector(".name").append(el("span", { class: "tag-list" },
      tags.map((tag) => el("a", { class: "tag", href: `?tag=${encodeURIComponent(tag)}`, "data-tag": true }, tag))));
  }
  if (!data.can_tag) return;
  const name = row.querySelector(".name a").textContent;
  row.querySelector(".actions").append(el("button", { class: "btn btn-small", type: "button", "data-tags": job.job_id,
    onclick: () => editTags({
      name, tags,
      save: async (wanted) => (await api.put(`/2d-digital-human-videos/${job.job_id}/tags`, { tags: wanted })).tags,
      onSaved: (kept) => {
        showJob(table, data.project_id, { ...job, tags: kept });
        showTags(row, { ...job, tags: kept });
        toast(kept.length ? `Tagged “${name}”: ${kept.join(", ")}` : "Tags removed", { kind: "success" });
      },
    }) }, "Tags"));
}

// A failure reads as what happened in plain words; the job page has the technical detail.
function show(job) {
  showJob(table, data.project_id, job);
  const row = table.querySelector(`[data-job="${CSS.escape(job.job_id)}"]`);
  showTags(row, job);
  if (job.state !== "FAILED" || !job.error_info) return;
  const detail = row.querySelector("[data-detail]");
  detail.textContent = explainFailure(job.error_info).message;
  detail.title = job.error_info.error_msg;
}

for (const job of [...data.jobs].reverse()) show(job);

function belongs(job) {
  const listed = table.querySelector(`[data-job="${CSS.escape(job.job_id)}"]`);
  // A job already listed keeps updating; a new one appears only on the first page, only if the state filter fits,
  // and never into search results (the server decides what matches a search).
  return listed || (data.first_page && !data.filtered && (!data.states.length || data.states.includes(job.state)));
}

const searchForm = document.querySelector("[data-live-search]");
if (searchForm) {
  liveSearch(searchForm, {
    onSwap(region, fresh) {
      data = { ...data, ...fresh };
      table = region.querySelector("[data-jobs]");
      empty = region.querySelector("[data-empty]");
      for (const job of [...data.jobs].reverse()) show(job);
    },
  });
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
