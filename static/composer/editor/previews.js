// Scene previews drawn by the server's render compositor: thumbnails of the saved revision for the scenes strip
// and a larger "Preview" over the canvas at a chosen moment (time slider 0..estimated scene length).
import { el } from "../ui.js";
import { sceneSeconds } from "./doc.js";

export const THUMB_WIDTH = 320;
const MAX_WIDTH = 1920;

export function previewUrl(meta, revision, scene, { time = 0, width = THUMB_WIDTH } = {}) {
  const query = new URLSearchParams({ scene: String(scene), time: time.toFixed(2), width: String(Math.round(width)) });
  return `/v1/${meta.projectId}/digital-human-video-scripts/${meta.scriptId}/revisions/${revision}/preview?${query}`;
}

export function mountPreviews(store, canvas) {
  const toggle = document.querySelector("[data-preview-toggle]");
  const timeBox = document.querySelector("[data-preview-time]");
  const slider = document.querySelector("[data-preview-slider]");
  const seconds = document.querySelector("[data-preview-seconds]");
  const image = el("img", { class: "ed-preview", alt: "Server preview of this scene", "data-preview": true, hidden: true });
  const label = el("span", { class: "ed-preview-label", hidden: true });
  canvas.sizer.append(image, label);
  let showing = false;
  let wanted = null;

  const thumbnail = (sceneIndex) => previewUrl(store.meta, store.saveState.revision, sceneIndex);

  function render() {
    toggle.setAttribute("aria-pressed", String(showing));
    toggle.classList.toggle("btn-primary", showing);
    image.hidden = !showing;
    label.hidden = !showing;
    timeBox.hidden = !showing;
    if (!showing) return;
    const max = sceneSeconds(store.doc, store.scene());
    slider.max = max.toFixed(1);
    if (Number(slider.value) > max) slider.value = String(max);
    const time = Number(slider.value);
    seconds.textContent = `${time.toFixed(1)} s`;
    const width = Math.min(MAX_WIDTH, Math.round(canvas.sizer.offsetWidth * (window.devicePixelRatio || 1)));
    const saved = store.sceneIndex < (store.savedDoc?.shoot_scripts?.length ?? 0);
    const src = saved ? previewUrl(store.meta, store.saveState.revision, store.sceneIndex, { time, width }) : null;
    // The shown picture stays until the next one has loaded: no blank frame while a new revision renders.
    if (src && src !== wanted) {
      wanted = src;
      const next = new Image();
      next.addEventListener("load", () => { if (wanted === src) image.src = src; });
      next.src = src;
    }
    label.textContent = !saved ? "Render preview · this scene is not saved yet"
      : `Render preview · revision ${store.saveState.revision}${store.saveState.dirty ? " (saving your latest changes…)" : ""}`;
  }

  toggle.addEventListener("click", () => {
    showing = !showing;
    render();
  });
  slider.addEventListener("input", render);
  store.subscribe(render);
  return { thumbnail, isShowing: () => showing };
}
