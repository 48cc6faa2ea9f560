// A list page's search that lives in the URL: typing updates the results after a pause, submitting or picking
// a filter at once; each search is a history entry (shareable, the back button returns to the one before).
// The server renders the results; this swaps the page's [data-results] region and its page data.

const TYPING_DELAY_MS = 300;

function searchUrl(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) if (String(value).trim()) params.append(key, String(value).trim());
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ""}`;
}

function fillForm(form, url) {
  const params = new URL(url, location.href).searchParams;
  for (const field of form.elements) if (field.name) field.value = params.get(field.name) || "";
}

// onSwap(region, pageData) runs after new results are in place. The region gets data-query (the search it
// shows) once the results are in: the signal tests and scripts wait on.
export function liveSearch(form, { onSwap = () => {} } = {}) {
  let timer = 0;
  let controller = null;
  let shown = `${location.pathname}${location.search}`;
  document.querySelector("[data-results]").dataset.query = location.search;

  async function load(url, { push }) {
    clearTimeout(timer);
    if (url === shown) return;
    controller?.abort();
    controller = new AbortController();
    const region = document.querySelector("[data-results]");
    region.setAttribute("aria-busy", "true");
    let html;
    try {
      const response = await fetch(url, { credentials: "same-origin", signal: controller.signal });
      html = await response.text();
    } catch (error) {
      if (error.name === "AbortError") return;
      throw error;
    }
    const doc = new DOMParser().parseFromString(html, "text/html");
    const fresh = doc.querySelector("[data-results]");
    const freshData = doc.getElementById("page-data");
    if (!fresh) return location.assign(url);
    if (push) history.pushState({ search: true }, "", url);
    shown = url;
    fresh.dataset.query = new URL(url, location.href).search;
    region.replaceWith(fresh);
    const data = document.getElementById("page-data");
    if (data && freshData) data.textContent = freshData.textContent;
    for (const clear of form.querySelectorAll("[data-clear-search]")) clear.hidden = url === location.pathname;
    onSwap(fresh, freshData ? JSON.parse(freshData.textContent) : {});
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(searchUrl(form), { push: true });
  });
  form.addEventListener("input", (event) => {
    if (event.target.type !== "search" && event.target.type !== "text") return;
    clearTimeout(timer);
    timer = setTimeout(() => load(searchUrl(form), { push: true }), TYPING_DELAY_MS);
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "search" || event.target.type === "text") return;
    if (event.target.type === "date" && event.target.value && !event.target.checkValidity()) return;
    load(searchUrl(form), { push: true });
  });
  // "Clear the search" links anywhere on the page (also inside swapped results) empty the form in place.
  document.addEventListener("click", (event) => {
    const clear = event.target.closest("[data-clear-search]");
    if (!clear) return;
    event.preventDefault();
    form.reset();
    for (const field of form.elements) if (field.name) field.value = "";
    load(location.pathname, { push: true });
  });
  window.addEventListener("popstate", () => {
    fillForm(form, location.href);
    load(`${location.pathname}${location.search}`, { push: false });
  });
}
