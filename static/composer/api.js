// The pages talk to the same /v1 API as the SDK, with the browser session and its CSRF token.

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

// An API refusal: `status`, MetaStudio's `code`/`message`, and the field the message names (if any).
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error_msg || `Request failed (HTTP ${status})`);
    this.status = status;
    this.code = body?.error_code || "";
    this.body = body;
    this.field = fieldOf(this.message);
  }
}

// Error messages start with the field path they concern: "shoot_scripts[0].script_config.text: ...".
export function fieldOf(message) {
  const match = /^([A-Za-z_][\w.\[\]]*):\s/.exec(message || "");
  return match ? match[1] : "";
}

async function parse(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("application/json")) return response.json();
  return response.status === 204 ? null : response.blob();
}

// JSON request to `/v1/<project>/<path>` (or an absolute path starting with "/"). Resolves with the parsed body,
// rejects with ApiError. `headers` adds to the defaults (e.g. If-Match); `answer` (an object), when given, gets
// the response's headers as `answer.headers`.
export async function api(method, path, body = undefined, { headers = {}, signal, answer } = {}) {
  const init = { method, credentials: "same-origin", signal,
                 headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (answer) answer.headers = response.headers;
  const data = await parse(response);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// A project-scoped client: projectApi(id).get("/digital-assets?asset_type=IMAGE").
export function projectApi(projectId) {
  const url = (path) => `/v1/${projectId}${path}`;
  return {
    get: (path, opts) => api("GET", url(path), undefined, opts),
    post: (path, body = {}, opts) => api("POST", url(path), body, opts),
    put: (path, body, opts) => api("PUT", url(path), body, opts),
    del: (path, opts) => api("DELETE", url(path), undefined, opts),
    raw: (method, path, body, opts) => api(method, url(path), body, opts),
    url,
  };
}

// Multipart upload with progress (fetch has no upload progress): onProgress(fraction 0..1).
export function upload(path, formData, { onProgress = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, { error_msg: "Network error: the upload did not reach the server" })));
    xhr.addEventListener("abort", () => reject(new ApiError(0, { error_msg: "Upload canceled" })));
    xhr.send(formData);
  });
}
