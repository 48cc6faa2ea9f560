// Project dashboard: the recent videos table, kept live.
import { mountJobTable } from "./jobtable.js";
import { pageData } from "./ui.js";

const data = pageData();
const section = document.querySelector("[data-project]");
mountJobTable(section.querySelector("[data-jobs]"), data.project_id, data.jobs, {
  limit: 8, onChange: () => { section.querySelector("[data-empty]").hidden = true; },
});
