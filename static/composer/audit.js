// The audit log: times in the reader's zone, and the filters apply as soon as one is picked.
import { localTimes } from "./work-common.js";

localTimes();
for (const select of document.querySelectorAll(".audit-filters select")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
