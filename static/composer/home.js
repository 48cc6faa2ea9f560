// Projects page: each project's recent jobs, kept live.
import { mountJobTable } from "./jobtable.js";
import { pageData } from "./ui.js";

for (const project of pageData().projects || []) {
  const section = document.querySelector(`[data-project="${CSS.escape(project.id)}"]`);
  const table = section.querySelector("[data-jobs]");
  mountJobTable(table, project.id, project.jobs, { onChange: () => { section.querySelector("[data-empty]").hidden = true; } });
}
