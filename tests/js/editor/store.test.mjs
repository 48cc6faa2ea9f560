// The editor's store (static/composer/editor/store.js): autosave, refusals undone, conflicts, flush. The server is
// played by a fake fetch that answers as the scripts API does; the clock is a fake one the tests move.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { AUTOSAVE_MS, createStore, VALIDATE_MS } from "../../../static/composer/editor/store.js";

// --- a clock the tests move by hand --------------------------------------------------------------------------
let now = 0;
let timers = [];
let nextId = 1;
const realTimers = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };

function fakeSetTimeout(fn, ms = 0) {
  const id = nextId++;
  timers.push({ id, at: now + ms, fn });
  return id;
}

function fakeClearTimeout(id) {
  timers = timers.filter((t) => t.id !== id);
}

// Let pending promises (the fake server's answers) settle.
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function advance(ms) {
  const until = now + ms;
  for (;;) {
    await settle();
    const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
    if (!due) break;
    timers = timers.filter((t) => t !== due);
    now = due.at;
    due.fn();
  }
  now = until;
  await settle();
}

// --- a scripts API that keeps the head revision ----------------------------------------------------------------
let server;

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function fakeServer({ revision = 1, refuse = null } = {}) {
  const state = { revision, requests: [], refuse, conflictOnce: false, head: null };
  state.fetch = async (url, init) => {
    const body = init.body ? JSON.parse(init.body) : undefined;
    state.requests.push({ method: init.method, url, body });
    if (url.endsWith("/validate")) {
      const refusal = state.refuse?.(body);
      return refusal ? json(400, { error_code: "MSS.00000003", error_msg: refusal }) : json(200, { valid: true });
    }
    if (init.method === "PUT") {
      if (state.conflictOnce || body.base_revision !== state.revision) {
        state.conflictOnce = false;
        return json(409, { error_code: "MSS.00000006", error_msg: `base_revision: the head is revision ${state.revision}` });
      }
      state.revision += 1;
      state.head = body;
      return json(200, { revision: state.revision, content_hash: `h${state.revision}` });
    }
    if (init.method === "GET") return json(200, { revision: state.revision, content_hash: "theirs", ...state.head });
    return json(404, { error_code: "MSS.00000004", error_msg: "not found" });
  };
  return state;
}

const saves = () => server.requests.filter((r) => r.method === "PUT");

function composition() {
  return { model_asset_id: "avatar-maya", voice_config: { voice_asset_id: "voice-en-us-joe" },
           video_config: { width: 1920, height: 1080 },
           shoot_scripts: [{ sequence_no: 0, shoot_script: { text_config: { text: "Hello." }, layer_config: [
             { layer_type: "IMAGE", asset_id: "a", position: { dx: 240, dy: 160, layer_index: 1 } }] } }] };
}

function openStore({ canEdit = true } = {}) {
  return createStore({ projectId: "p1", scriptId: "s1", revision: 1, contentHash: "h1", canEdit,
                       composition: composition() });
}

const move = (store, dx) => store.apply("Move", (doc) => { doc.shoot_scripts[0].shoot_script.layer_config[0].position.dx = dx; });

beforeEach(() => {
  now = 0;
  timers = [];
  globalThis.setTimeout = fakeSetTimeout;
  globalThis.clearTimeout = fakeClearTimeout;
  globalThis.document = { querySelector: () => null };     // no CSRF meta tag outside a page
  server = fakeServer();
  globalThis.fetch = server.fetch;
});

afterEach(() => {
  Object.assign(globalThis, realTimers);
  delete globalThis.document;
});

test("a change is autosaved once the user pauses, on top of the revision it was made from", async () => {
  const store = openStore();
  move(store, 300);
  assert.equal(store.saveState.dirty, true);
  await advance(AUTOSAVE_MS - 1);
  assert.equal(saves().length, 0);
  await advance(1);
  assert.equal(saves().length, 1);
  assert.equal(saves()[0].url, "/v1/p1/digital-human-video-scripts/s1");
  assert.equal(saves()[0].body.base_revision, 1);
  assert.equal(saves()[0].body.shoot_scripts[0].shoot_script.layer_config[0].position.dx, 300);
  assert.deepEqual({ ...store.saveState }, { revision: 2, contentHash: "h2", dirty: false, saving: false, error: null,
                                             conflict: null });
  assert.equal(store.savedDoc, store.doc);
});

test("changes in quick succession are saved once", async () => {
  const store = openStore();
  for (const dx of [250, 260, 270]) {
    move(store, dx);
    await advance(AUTOSAVE_MS / 2);
  }
  await advance(AUTOSAVE_MS);
  assert.equal(saves().length, 1);
  assert.equal(saves()[0].body.shoot_scripts[0].shoot_script.layer_config[0].position.dx, 270);
});

test("a change the server refuses for its geometry is undone, named, and never saved", async () => {
  server.refuse = (body) => (body.shoot_scripts[0].shoot_script.layer_config[0].position.dx < 0
    ? "shoot_scripts[0].shoot_script.layer_config[0].position.dx: must be at least 0" : null);
  const store = openStore();
  const before = store.doc;
  move(store, -50);
  await advance(VALIDATE_MS);
  assert.equal(store.doc, before);
  assert.equal(store.refusal.field, "shoot_scripts[0].shoot_script.layer_config[0].position.dx");
  assert.equal(store.canRedo, false);
  assert.equal(store.saveState.dirty, false);
  await advance(AUTOSAVE_MS * 2);
  assert.equal(saves().length, 0);
  assert.equal(await store.flush(), 1);
});

test("other problems are shown but the text stays as typed", async () => {
  server.refuse = () => "shoot_scripts[0].shoot_script.text_config.text: a TEXT scene needs its script text";
  const store = openStore();
  store.apply("Type", (doc) => { doc.shoot_scripts[0].shoot_script.text_config.text = ""; });
  await advance(VALIDATE_MS);
  assert.equal(store.scene().text_config.text, "");
  assert.equal(store.refusal, null);
  assert.match(store.problem.message, /needs its script text/);
});

test("a change that changes nothing records no step", () => {
  const store = openStore();
  move(store, 240);
  assert.equal(store.canUndo, false);
  assert.equal(store.saveState.dirty, false);
});

test("undo back to the saved doc leaves nothing to save", async () => {
  const store = openStore();
  move(store, 300);
  store.undo();
  assert.equal(store.saveState.dirty, false);
  await advance(AUTOSAVE_MS);
  assert.equal(saves().length, 0);
  store.redo();
  assert.equal(store.saveState.dirty, true);
});

test("flush saves at once and resolves with the saved revision", async () => {
  const store = openStore();
  move(store, 310);
  const flushed = store.flush();
  await advance(0);
  assert.equal(await flushed, 2);
  assert.equal(saves().length, 1);
});

test("someone else's newer revision is a conflict: nothing is overwritten until the user chooses", async () => {
  server.revision = 5;      // a teammate saved meanwhile
  const store = openStore();
  move(store, 320);
  const flushed = store.flush();
  await assert.rejects(flushed, /head is revision 5/);
  assert.match(store.saveState.conflict.message, /head is revision 5/);
  move(store, 330);
  await advance(AUTOSAVE_MS * 2);
  assert.equal(saves().length, 1, "no autosave while the conflict is open");
  await assert.rejects(store.flush(), /head is revision 5/);

  // Keep mine: saved on top of their head.
  assert.equal(await store.keepMine(), 6);
  assert.equal(saves().at(-1).body.base_revision, 5);
  assert.equal(saves().at(-1).body.shoot_scripts[0].shoot_script.layer_config[0].position.dx, 330);
  assert.equal(store.saveState.conflict, null);
});

test("loading theirs makes their head the doc, with mine one undo step back", async () => {
  server.revision = 4;
  server.head = { ...composition(), shoot_scripts: [{ sequence_no: 0, shoot_script: { text_config: { text: "Theirs." } } }] };
  const store = openStore();
  store.apply("Type", (doc) => { doc.shoot_scripts[0].shoot_script.text_config.text = "Mine."; });
  await assert.rejects(store.flush());
  await store.loadTheirs();
  assert.equal(store.scene().text_config.text, "Theirs.");
  assert.deepEqual({ revision: store.saveState.revision, dirty: store.saveState.dirty, conflict: store.saveState.conflict },
                   { revision: 4, dirty: false, conflict: null });
  store.undo();
  assert.equal(store.scene().text_config.text, "Mine.");
});

test("a read-only member's store changes nothing", async () => {
  const store = openStore({ canEdit: false });
  move(store, 400);
  assert.equal(store.doc.shoot_scripts[0].shoot_script.layer_config[0].position.dx, 240);
  await advance(AUTOSAVE_MS * 2);
  assert.equal(server.requests.length, 0);
});

test("listeners hear each change and a failing one does not stop the others", () => {
  const store = openStore();
  const heard = [];
  const errors = console.error;
  console.error = () => {};
  try {
    store.subscribe(() => { throw new Error("a broken panel"); });
    const stop = store.subscribe((s) => heard.push(s.selection));
    store.select("L0");
    stop();
    store.select("bg");
  } finally {
    console.error = errors;
  }
  assert.deepEqual(heard, ["L0"]);
});
