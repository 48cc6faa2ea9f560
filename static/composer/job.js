// One video: live stage, percent, frames, ETA and preview frame over the job's websocket; then the player and
// downloads, or what went wrong in plain words.
import { projectApi } from "./api.js";
import { connectLive } from "./live.js";
import { applySizeHints, el, formatDate, formatDuration, pageData, STATE_LABELS, toast } from "./ui.js";
import { mountInlineName } from "./inline-name.js";
import { openRenderDialog } from "./render-dialog.js";
import { explainFailure, localTimes, plainMessage, wireDialog } from "./work-common.js";

applySizeHints();
const data = pageData();
const api = projectApi(data.project_id);
const $ = (selector) => document.querySelector(selector);
const stageOrder = data.stages.map((stage) => stage.value);
const stageLabels = Object.fromEntries(data.stages.map((stage) => [stage.value, stage.label]));
const ACTIVE = ["WAITING", "PROCESSING"];
const cancelButton = $("[data-cancel]");
const cancelDialog = document.querySelector("dialog[data-dialog=cancel]");
let player = "";

localTimes();

function showStepper(job) {
  const stepper = $("[data-stepper]");
  const at = job.state === "SUCCEED" ? stageOrder.length : stageOrder.indexOf(job.progress.stage);
  stepper.classList.toggle("failed", job.state === "FAILED" || job.state === "CANCELED");
  for (const item of stepper.children) {
    const index = stageOrder.indexOf(item.dataset.stage);
    item.classList.toggle("done", index < at);
    item.classList.toggle("current", index === at && job.state !== "SUCCEED");
    item.toggleAttribute("aria-current", index === at);
  }
}

function eta(job) {
  const seconds = job.progress.eta_seconds;
  if (job.state !== "PROCESSING" || seconds == null) return job.state === "SUCCEED" ? "Done" : "—";
  return seconds < 60 ? `about ${Math.max(1, Math.ceil(seconds))} s` : `about ${formatDuration(seconds)}`;
}

// The server names the file after the video ("Spring sale.mp4", "Spring sale cover.jpg"), so the link gives no name.
function download(href, label) {
  return href && el("a", { class: "btn", href: `${href}&download=1`, download: true, "data-download": label }, label);
}

function showResult(job) {
  const out = job.output_asset_config;
  if (!out.preview_video_url || player === out.preview_video_url) return;
  player = out.preview_video_url;
  const video = $("[data-player]");
  video.src = out.preview_video_url;
  if (out.cover_url) video.poster = out.cover_url;
  showDownloads(out);
}

// The saved files are named after the video (the server names them too): a rename renames the downloads.
function showDownloads(out) {
  if (!out.preview_video_url) return;
  const container = { VP8: "WebM", QTRLE: "MOV" }[data.output.codec] || "MP4";
  $("[data-downloads]").replaceChildren(...[
    download(out.preview_video_url, `Video (${container})`),
    download(out.cover_url, "Cover image"),
    download(out.subtitle_srt_url, "Subtitles (SRT)"),
    download(out.subtitle_vtt_url, "Subtitles (VTT)"),
  ].filter(Boolean));
}

function show(job) {
  const badge = $("[data-state-badge]");
  badge.className = `badge badge-lg state-${job.state.toLowerCase()}`;
  badge.textContent = STATE_LABELS[job.state] || job.state;
  const p = job.progress;
  $("[data-progress-card] .bar span").style.width = `${p.percent}%`;
  $("[data-progress-card] .bar").setAttribute("aria-valuenow", p.percent);
  $("[data-percent]").textContent = `${Math.round(p.percent)}%`;
  $("[data-stage-label]").textContent = job.state === "WAITING" ? "Waiting for a free renderer"
    : job.state === "SUCCEED" ? "Finished" : stageLabels[p.stage] || p.stage;
  $("[data-frames]").textContent = p.frames_total ? `${p.frames_done} / ${p.frames_total}` : "—";
  $("[data-eta]").textContent = eta(job);
  $("[data-start]").textContent = formatDate(job.start_time) || "—";
  $("[data-end]").textContent = formatDate(job.end_time) || "—";
  $("[data-duration]").textContent = job.duration ? formatDuration(job.duration) : "—";
  showStepper(job);
  const active = ACTIVE.includes(job.state);
  if (cancelButton) cancelButton.hidden = !active;
  if (!active) $("[data-preview-box]").hidden = true;
  $("[data-result]").hidden = job.state !== "SUCCEED";
  $("[data-canceled]").hidden = job.state !== "CANCELED";
  const cancelNote = $("[data-cancel-note]");
  cancelNote.textContent = job.state === "CANCELED" ? job.error_info?.error_msg || "" : "";
  cancelNote.hidden = !cancelNote.textContent;
  $("[data-failure]").hidden = job.state !== "FAILED";
  if (job.state === "SUCCEED") showResult(job);
  if (job.state === "FAILED" && job.error_info) {
    const words = explainFailure(job.error_info);
    $("[data-failure-message]").textContent = words.message;
    $("[data-failure-advice]").textContent = words.advice;
    $("[data-failure-code]").textContent = job.error_info.error_code;
    $("[data-failure-detail]").textContent = job.error_info.error_msg;
  }
}

function showPreview(dataUrl) {
  if (!dataUrl) return;
  $("[data-preview]").src = dataUrl;
  $("[data-preview-box]").hidden = false;
}

show(data.job);
const live = $("[data-live-status]");
const STATUS_WORDS = { live: "Live", reconnecting: "Reconnecting…" };
connectLive(`/ws/projects/${data.project_id}/jobs/${data.job.job_id}/`, (message) => {
  if (message.type !== "job" || message.job.job_id !== data.job.job_id) return;
  show(message.job);
  if (ACTIVE.includes(message.job.state)) showPreview(message.preview);
}, { onStatus: (state) => { live.textContent = STATUS_WORDS[state] || state; } });

if (cancelButton && cancelDialog) {
  wireDialog(cancelDialog);
  cancelButton.addEventListener("click", () => cancelDialog.showModal());
  cancelDialog.querySelector("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const confirm = cancelDialog.querySelector("[data-confirm-cancel]");
    confirm.disabled = true;
    try {
      await api.post(`/2d-digital-human-videos/${data.job.job_id}/cancel`);
      cancelDialog.close();
      toast("Render canceled", { kind: "success" });
      show(await api.get(`/2d-digital-human-videos/${data.job.job_id}`));
    } catch (error) {
      toast(`Could not cancel: ${plainMessage(error)}`, { kind: "error", timeout: 7000 });
    } finally {
      confirm.disabled = false;
    }
  });
}

// "Render again" on a failed or canceled script render: the render dialog with the old name and callback to edit,
// then the script's approved revision as a new job.
for (const button of document.querySelectorAll("[data-retry]")) {
  button.addEventListener("click", () => openRenderDialog({
    api, scriptId: data.retry.script_id, title: `Render “${data.retry.script_name}” again`,
    intro: "The script renders again as a new video; scenes that already rendered are reused.",
    summary: [["Size", data.output.width ? `${data.output.width} × ${data.output.height}` : "—"],
              ["Scenes", String(data.output.scenes)]],
    values: { asset_name: data.job.output_asset_config.asset_name || data.retry.asset_name,
              callback_url: data.retry.callback_url, auth_type: data.retry.auth_type },
    onRendered: (jobId) => location.assign(data.retry.job_href.replace("JOB_ID", jobId)),
  }));
}

// Rename in place: the job and its video file carry the name (PUT on the video, our addition to the API).
const nameHost = $("[data-name]");
if (data.can_rename && nameHost) {
  mountInlineName(nameHost, {
    name: data.job.output_asset_config.asset_name || "", what: "video",
    save: async (name) => {
      const job = await api.put(`/2d-digital-human-videos/${data.job.job_id}`, { output_asset_config: { asset_name: name } });
      data.job = job;
      return job.output_asset_config.asset_name;
    },
    onSaved: (name) => {
      for (const node of document.querySelectorAll("[data-crumb-name]")) node.textContent = name;
      document.title = document.title.replace(/^.*? · /, `${name} · `);
      showDownloads(data.job.output_asset_config);
      toast("Video renamed", { kind: "success" });
    },
  });
}
