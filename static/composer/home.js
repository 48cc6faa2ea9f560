// Projects page: each project's recent jobs, kept live; invitations waiting for the user's answer.
import { api, ApiError } from "./api.js";
import { mountJobTable } from "./jobtable.js";
import { pageData, toast } from "./ui.js";
import { plainMessage } from "./work-common.js";

for (const project of pageData().projects || []) {
  const section = document.querySelector(`[data-project="${CSS.escape(project.id)}"]`);
  const table = section.querySelector("[data-jobs]");
  mountJobTable(table, project.id, project.jobs, { onChange: () => { section.querySelector("[data-empty]").hidden = true; } });
}

// Accepting reloads the page, which then lists the project; declining only takes the invitation away.
async function answer(item, verb, button) {
  for (const control of item.querySelectorAll("button")) control.disabled = true;
  try {
    await api("POST", `/v1/invitations/${encodeURIComponent(button.dataset[verb])}/${verb}`, {});
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    toast(plainMessage(error), { kind: "error", timeout: 6000 });
    item.remove();
    return;
  }
  if (verb === "accept") {
    window.location.reload();
    return;
  }
  item.remove();
  toast("Invitation declined", { kind: "success" });
  const card = document.querySelector("[data-invitations-card]");
  if (card && !card.querySelector("[data-invitation]")) card.remove();
}

for (const item of document.querySelectorAll("[data-invitation]")) {
  for (const verb of ["accept", "decline"]) {
    const button = item.querySelector(`[data-${verb}]`);
    button.addEventListener("click", () => answer(item, verb, button));
  }
}
