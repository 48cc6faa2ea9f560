// The public page of a share link: durations and the expiry in the viewer's own words and time zone.
import { applySizeHints, formatDuration } from "./ui.js";

applySizeHints();
for (const node of document.querySelectorAll("[data-duration]")) {
  node.textContent = formatDuration(Number(node.dataset.duration));
}
const longDate = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" });
for (const node of document.querySelectorAll("time[data-time]")) {
  node.textContent = longDate.format(new Date(node.dataset.time));
}
