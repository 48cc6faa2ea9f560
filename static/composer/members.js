// Members page: the team with role badges; owners invite people (or add them, where the instance allows direct
// adds), see and revoke pending invitations, change and remove members and set the approval rules.
import { ApiError, projectApi } from "./api.js";
import { clearErrors, el, formatDate, pageData, showFieldError, toast } from "./ui.js";
import { pageDialogs, plainMessage, submitting } from "./work-common.js";

const data = pageData();
const api = projectApi(data.project_id);
const roleLabel = Object.fromEntries(data.roles.map((role) => [role.value, role.label]));
let members = data.members;

async function reloadMembers() {
  members = (await api.get("/members")).members;
  renderMembers();
reloadInvitations();
}

// An owner's change to one member; the API's refusal (e.g. the last owner) is shown as a toast and undone.
async function changeMember(member, body, control) {
  try {
    await api.put(`/members/${encodeURIComponent(member.username)}`, body);
    toast(`${member.username} updated`, { kind: "success" });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    toast(plainMessage(error), { kind: "error", timeout: 6000 });
  }
  await reloadMembers();
  control?.focus();
}

function roleCell(member) {
  if (!data.can_manage) {
    return el("span", { class: `badge role-${member.role}`, "data-role": member.role }, roleLabel[member.role]);
  }
  const select = el("select", { class: "role-select", "aria-label": `Role of ${member.username}`,
                                "data-role-select": member.username },
    data.roles.map((role) => el("option", { value: role.value, selected: role.value === member.role }, role.label)));
  select.addEventListener("change", () => changeMember(member, { role: select.value }, select));
  return select;
}

function skipCell(member) {
  if (!data.can_manage) return member.may_skip_review ? "Yes" : el("span", { class: "muted" }, "No");
  const box = el("input", { type: "checkbox", checked: member.may_skip_review,
                            "aria-label": `${member.username} may skip review` });
  box.addEventListener("change", () => changeMember(member, { may_skip_review: box.checked }, box));
  return box;
}

function memberRow(member) {
  const initials = member.username.slice(0, 2).toUpperCase();
  const who = el("div", { class: "member-cell" }, el("span", { class: "avatar-dot", "aria-hidden": "true" }, initials),
    el("div", { class: "list-main" },
      el("span", { class: "list-title" }, member.username, member.username === data.me ? el("span", { class: "muted" }, " (you)") : null),
      member.email ? el("span", { class: "muted small" }, member.email) : null));
  const cells = [el("td", {}, who), el("td", {}, roleCell(member)), el("td", {}, skipCell(member)),
                 el("td", { class: "small muted nowrap" }, formatDate(member.join_time))];
  if (data.can_manage) {
    cells.push(el("td", { class: "row-actions" }, el("button", {
      class: "btn btn-small btn-danger", type: "button", "data-remove": member.username,
      onclick: () => openRemove(member),
    }, "Remove")));
  }
  return el("tr", { "data-member": member.username }, cells);
}

function renderMembers() {
  document.querySelector("[data-members]").replaceChildren(...members.map(memberRow));
  const count = document.querySelector("[data-member-count]");
  if (count) count.textContent = String(members.length);
}

const dialogs = pageDialogs();

function openRemove(member) {
  const form = dialogs.remove.querySelector("form");
  clearErrors(form);
  form.dataset.username = member.username;
  dialogs.remove.querySelector("[data-remove-name]").textContent = member.username;
  dialogs.remove.showModal();
}

if (dialogs.remove) {
  const form = dialogs.remove.querySelector("form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(form, form.querySelector("[data-confirm-remove]"), async () => {
      await api.del(`/members/${encodeURIComponent(form.dataset.username)}`);
      dialogs.remove.close();
      toast(`${form.dataset.username} removed`, { kind: "success" });
      await reloadMembers();
    });
  });
}

// Pending invitations (owners): read through the API; Revoke takes one back.
const invitationList = document.querySelector("[data-invitations]");

async function reloadInvitations() {
  if (!invitationList) return;
  const { invitations } = await api.get("/invitations");
  invitationList.replaceChildren(...invitations.map(invitationRow));
  document.querySelector("[data-no-invitations]").hidden = invitations.length > 0;
}

function invitationRow(invitation) {
  const cells = [el("td", {}, el("span", { class: "list-title" }, invitation.username)),
                 el("td", {}, el("span", { class: `badge role-${invitation.role}` }, roleLabel[invitation.role])),
                 el("td", { class: "small" }, invitation.invited_by || el("span", { class: "muted" }, "—")),
                 el("td", { class: "small muted nowrap" }, formatDate(invitation.invite_time))];
  if (data.can_revoke_invitations) {
    const button = el("button", { class: "btn btn-small btn-danger", type: "button",
                                  "data-revoke-invitation": invitation.username }, "Revoke");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await api.post(`/invitations/${encodeURIComponent(invitation.invitation_id)}/revoke`);
        toast(`Invitation to ${invitation.username} revoked`, { kind: "success" });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        toast(plainMessage(error), { kind: "error", timeout: 6000 });
      }
      await reloadInvitations();
    });
    cells.push(el("td", { class: "row-actions" }, button));
  }
  return el("tr", { "data-invitation": invitation.username }, cells);
}

if (dialogs.invite) {
  const form = dialogs.invite.querySelector("form");
  const inviteLabel = data.direct_adds ? "Add member" : "Invite";
  let mode = "invite";
  const setMode = (next) => {
    mode = next;
    for (const tab of form.querySelectorAll("[data-mode]")) tab.setAttribute("aria-selected", String(tab.dataset.mode === mode));
    for (const field of form.querySelectorAll("[data-create-only]")) field.hidden = mode !== "create";
    for (const hint of form.querySelectorAll("[data-invite-only]")) hint.hidden = mode === "create";
    form.querySelector("[data-submit]").textContent = mode === "create" ? "Create account" : inviteLabel;
    clearErrors(form);
  };
  for (const tab of form.querySelectorAll("[data-mode]")) tab.addEventListener("click", () => setMode(tab.dataset.mode));
  document.querySelector("[data-invite]").addEventListener("click", () => {
    form.reset();
    setMode("invite");
    dialogs.invite.showModal();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    const username = form.elements.username.value.trim();
    if (!username) {
      showFieldError(form, "username", mode === "create" ? "Enter a username for the new account."
                                                         : "Enter the username of the person to invite.");
      return;
    }
    const body = { username, role: form.elements.role.value };
    if (mode === "create") {
      body.email = form.elements.email.value.trim();
      body.password = form.elements.password.value;
      if (!body.password) {
        showFieldError(form, "password", "A new account needs a password (at least 8 characters).");
        return;
      }
    }
    submitting(form, form.querySelector("[data-submit]"), async () => {
      const answer = await api.post("/members", body);
      dialogs.invite.close();
      const role = roleLabel[body.role].toLowerCase();
      // An invitation reads the same whether or not the username is an account's.
      const invited = answer.state === "PENDING";
      toast(invited ? `${username} invited as ${role}` : `${username} added as ${role}`, { kind: "success" });
      await (invited ? reloadInvitations() : reloadMembers());
    });
  });
}

const settingsForm = document.querySelector("[data-settings-form]");
if (settingsForm) {
  settingsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(settingsForm);
    const body = { require_approval: settingsForm.elements.require_approval.checked,
                   allow_self_approval: settingsForm.elements.allow_self_approval.checked };
    submitting(settingsForm, settingsForm.querySelector("[type=submit]"), async () => {
      await api.put("/project-settings", body);
      toast("Approval rules saved", { kind: "success" });
    });
  });
}

const wordsForm = document.querySelector("[data-words-form]");
if (wordsForm) {
  let words = [...data.review_words];
  const list = wordsForm.querySelector("[data-words]");
  const input = wordsForm.elements.review_words;
  const renderWords = () => {
    list.replaceChildren(...words.map((word, index) => el("li", { class: "word-chip" }, word,
      el("button", { type: "button", class: "word-remove", "aria-label": `Remove ${word}`,
                     onclick: () => { words.splice(index, 1); renderWords(); } }, "×"))));
    if (!words.length) list.append(el("li", { class: "muted small" }, "No review words: scripts are not checked."));
  };
  const addWord = () => {
    clearErrors(wordsForm);
    const word = input.value.trim();
    if (!word) return;
    if (word.length > 64) {
      showFieldError(wordsForm, "review_words", "A review word has 1 to 64 characters.");
      return;
    }
    if (!words.some((known) => known.toLowerCase() === word.toLowerCase())) words.push(word);
    input.value = "";
    renderWords();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); addWord(); }
  });
  wordsForm.querySelector("[data-add-word]").addEventListener("click", addWord);
  wordsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim()) addWord();
    submitting(wordsForm, wordsForm.querySelector("[type=submit]"), async () => {
      words = (await api.put("/review-words", { review_words: words })).review_words;
      renderWords();
      toast("Review words saved", { kind: "success" });
    });
  });
  renderWords();
}

const targetForm = document.querySelector("[data-target-form]");
if (targetForm) {
  const fields = targetForm.elements;
  const remoteFields = targetForm.querySelector("[data-remote-fields]");
  const endpointField = targetForm.querySelector("[data-endpoint-field]");
  const connection = targetForm.querySelector("[data-connection]");
  const remoteButtons = targetForm.querySelectorAll("[data-test-connection], [data-sync-assets]");
  let target = data.render_target;

  const showConnection = () => {
    const status = target.connection || {};
    if (!target.sk_set) connection.textContent = "";
    else if (!status.status) connection.textContent = "Connection not tested yet.";
    else if (status.status === "ok") connection.textContent = `Connection ok (checked ${formatDate(status.checked_at)}).`;
    else connection.textContent = `Connection failing (checked ${formatDate(status.checked_at)}): ${status.detail}`;
  };
  const showKind = () => {
    const remote = fields.kind.value === "metastudio";
    remoteFields.hidden = !remote;
    endpointField.hidden = fields.region.value !== "";
    remoteButtons.forEach((button) => { button.hidden = !remote || !target.sk_set; });
  };
  const fill = () => {
    fields.kind.value = target.kind;
    fields.region.value = target.kind === "metastudio" ? (target.region || "") : fields.region.options[0].value;
    fields.endpoint.value = target.kind === "metastudio" && !target.region ? target.endpoint : "";
    fields.remote_project_id.value = target.remote_project_id || "";
    fields.ak.value = target.ak || "";
    fields.sk.value = "";
    fields.sk.placeholder = target.sk_set ? "Stored: leave empty to keep it" : "";
    showConnection();
    showKind();
  };
  fields.kind.addEventListener("change", showKind);
  fields.region.addEventListener("change", showKind);

  targetForm.addEventListener("submit", (event) => {
    event.preventDefault();
    let body = { kind: fields.kind.value };
    if (body.kind === "metastudio") {
      body = { ...body, remote_project_id: fields.remote_project_id.value.trim(), ak: fields.ak.value.trim() };
      if (fields.region.value) body.region = fields.region.value;
      else body.endpoint = fields.endpoint.value.trim();
      if (fields.sk.value) body.sk = fields.sk.value;
    }
    submitting(targetForm, targetForm.querySelector("[type=submit]"), async () => {
      target = (await api.put("/project-settings", { render_target: body })).render_target;
      fill();
      toast(target.kind === "metastudio" ? "Videos now render on MetaStudio" : "Videos now render here",
            { kind: "success" });
    });
  });
  targetForm.querySelector("[data-test-connection]").addEventListener("click", (event) => {
    submitting(targetForm, event.currentTarget, async () => {
      const answer = await api.post("/project-settings/render-target/test", {});
      target = (await api.get("/project-settings")).render_target;
      showConnection();
      toast(answer.ok ? "MetaStudio answered: the connection works" : answer.error_msg,
            { kind: answer.ok ? "success" : "error" });
    });
  });
  targetForm.querySelector("[data-sync-assets]").addEventListener("click", (event) => {
    submitting(targetForm, event.currentTarget, async () => {
      const counts = await api.post("/remote-assets/sync", {});
      toast(`Imported ${counts.avatars} avatars and ${counts.voices} voices from MetaStudio`, { kind: "success" });
    });
  });
  fill();
}

renderMembers();
reloadInvitations();
