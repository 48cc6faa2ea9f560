// "Play scene": the current scene (as it is now, saved or not) rendered by the server's engine at preview size with
// its voice and music, played in a small dialog. Repeated plays of an unchanged scene come from the server's cache.
// The dialog's data-state (loading, playing, paused, error) and data-seconds-to-play are the signals tests wait on.
import { projectApi } from "../api.js";
import { el } from "../ui.js";
import { sayError } from "../work-common.js";
import { compositionParts } from "./doc.js";

const WIDTH = 480;

function sceneSignature(store) {
  const scene = store.scene() || {};
  return JSON.stringify([scene.script_type, scene.text_config, scene.audio_asset_id, store.doc.voice_config]);
}

export function mountScenePlayer(button, store) {
  const client = projectApi(store.meta.projectId);
  const title = el("h2", {}, "Play scene");
  const status = el("p", { class: "sp-status", role: "status", "aria-live": "polite", "data-player-status": true });
  const video = el("video", { class: "sp-video", controls: true, playsinline: true, preload: "auto", "data-player-video": true });
  const note = el("p", { class: "muted small sp-note" },
                  `A quick, low-resolution preview (${WIDTH} px wide, 25 frames a second) with the voice and music. The final render is full size.`);
  const close = el("button", { type: "button", class: "btn", "data-player-close": true }, "Close");
  const dialog = el("dialog", { class: "sp-dialog", "data-scene-player": true, "aria-label": "Play scene" },
                    title, el("div", { class: "sp-screen" }, video, el("div", { class: "sp-spinner", "aria-hidden": "true" })),
                    status, note, el("div", { class: "dialog-actions" }, close));
  document.body.append(dialog);
  let controller = null;
  let clickedAt = 0;

  const setState = (state, text) => {
    dialog.dataset.state = state;
    status.textContent = text;
    status.classList.toggle("is-error", state === "error");
  };
  const playhead = (time) => document.dispatchEvent(new CustomEvent("composer:playhead", { detail: { time } }));

  async function play() {
    controller?.abort();
    controller = new AbortController();
    clickedAt = performance.now();
    delete dialog.dataset.secondsToPlay;
    const sceneIndex = store.sceneIndex;
    const signature = sceneSignature(store);
    title.textContent = `Scene ${sceneIndex + 1}`;
    video.removeAttribute("src");
    video.load();
    setState("loading", "Preparing a quick preview with the voice and music…");
    if (!dialog.open) dialog.showModal();
    try {
      const preview = await client.post(`/digital-human-video-scripts/${store.meta.scriptId}/scene-previews`,
                                        { scene: sceneIndex, composition: compositionParts(store.doc), width: WIDTH },
                                        { signal: controller.signal });
      document.dispatchEvent(new CustomEvent("composer:scene-played",
                                             { detail: { sceneIndex, duration: preview.duration, signature } }));
      dialog.dataset.renderSeconds = preview.render_seconds ?? 0;
      video.src = preview.video_url;
      video.muted = false;
      setState("loading", `Loading ${preview.duration.toFixed(1)} s of video…`);
      try {
        await video.play();
      } catch (error) {
        if (error.name !== "AbortError") setState("paused", "Ready: press play to watch and listen.");
      }
    } catch (error) {
      if (error.name === "AbortError") return;
      setState("error", `This scene could not be played. ${sayError(error)}`);
    }
  }

  video.addEventListener("playing", () => {
    if (!dialog.dataset.secondsToPlay) dialog.dataset.secondsToPlay = ((performance.now() - clickedAt) / 1000).toFixed(2);
    setState("playing", `Playing · a ${video.duration.toFixed(1)} s scene`);
  });
  video.addEventListener("pause", () => { if (dialog.dataset.state === "playing") setState("paused", "Paused"); });
  video.addEventListener("ended", () => setState("paused", "Finished: press play to watch again."));
  video.addEventListener("timeupdate", () => playhead(video.currentTime));
  video.addEventListener("error", () => {
    if (video.getAttribute("src")) setState("error", "This scene could not be played: the preview file did not load.");
  });
  const stop = () => {
    controller?.abort();
    video.pause();
    playhead(null);
  };
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", stop);
  button.addEventListener("click", play);
  button.disabled = false;
  // Get the engine ready (the script's voice) while the marketer edits: the first play is then as quick as the next.
  client.post(`/digital-human-video-scripts/${store.meta.scriptId}/scene-previews`, { prepare: true }).catch(() => {});
}
