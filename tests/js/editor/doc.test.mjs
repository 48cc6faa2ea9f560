// Pure operations on the composition (static/composer/editor/doc.js): layouts, boxes, layer order, text encoding,
// new layers and scenes, and what is saved.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  avatarBox,
  backgroundBox,
  canvasOf,
  compositionParts,
  decodeText,
  drawOrder,
  encodeText,
  findAsset,
  layerBox,
  materializeAvatar,
  MAX_LAYER_INDEX,
  NEW_SCENE_TEXT,
  newLayer,
  newScene,
  orientationOf,
  removeLayer,
  renumberScenes,
  sceneSeconds,
  setBackgroundBox,
  setLayerBox,
  shiftLayer,
} from "../../../static/composer/editor/doc.js";
import { frameFigure, humanBox } from "../../../static/composer/editor/framing.js";

// A rig's figure metrics as the editor page carries them (asset.rig.figure), in rig canvas pixels.
const FIGURE = { canvas: [1000, 1400], layout: [1920, 1080], top: 120, cut: 1400, bottom: 1400, left: 300,
                 right: 700, default_box: [1200, 80, 1000] };
const META = {
  canvases: { landscape: { width: 1920, height: 1080 }, portrait: { width: 1080, height: 1920 } },
  presets: { avatars: [{ asset_id: "avatar-test", asset_type: "HUMAN_MODEL_2D", is_preset: true, rig: { figure: FIGURE } }],
             backgrounds: [{ asset_id: "bg-1", asset_type: "IMAGE", is_preset: true }] },
  assets: [{ asset_id: "mine", asset_type: "IMAGE", is_preset: false }],
  layerTypes: [
    { name: "IMAGE", label: "Image", can_rotate: true, default_box: { landscape: [100, 100, 640, 360], portrait: [90, 200, 900, 506] } },
    { name: "TEXT", label: "Text", can_rotate: true, default_box: { landscape: [160, 860, 1600, 120], portrait: [90, 1500, 900, 200] } },
    { name: "VIDEO", label: "Video", can_rotate: false, default_box: { landscape: [0, 0, 960, 540], portrait: [0, 0, 1080, 608] } },
    { name: "HUMAN", label: "Presenter", can_rotate: false, default_box: { landscape: [1200, 80, 600, 1000], portrait: [100, 700, 880, 1220] } },
  ],
};
const landscape = (extra = {}) => ({ model_asset_id: "avatar-test", video_config: { width: 1920, height: 1080 }, ...extra });
const portrait = (extra = {}) => ({ model_asset_id: "avatar-test", video_config: { width: 1080, height: 1920 }, ...extra });
const layer = (type, index, extra = {}) => ({ layer_type: type, position: { dx: 0, dy: 0, layer_index: index }, ...extra });

test("the orientation and layout follow the video's size", () => {
  assert.equal(orientationOf(landscape()), "landscape");
  assert.equal(orientationOf(portrait()), "portrait");
  assert.equal(orientationOf({}), "landscape");
  assert.deepEqual(canvasOf(portrait(), META), { width: 1080, height: 1920 });
  assert.deepEqual(canvasOf(portrait(), {}), { width: 1080, height: 1920 });
});

test("assets are found among the presets and the project's own", () => {
  assert.equal(findAsset(META, "mine").is_preset, false);
  assert.equal(findAsset(META, "bg-1").is_preset, true);
  assert.equal(findAsset(META, "nope"), null);
  assert.equal(findAsset(META, ""), null);
});

test("text layers' base64 keeps every character", () => {
  for (const text of ["Spring sale", "春季促销 – 50%", "こんにちは 🎉", ""]) {
    assert.equal(decodeText(encodeText(text)), text);
  }
  assert.equal(encodeText("Hi"), "SGk=");
  assert.equal(decodeText("not base64!"), "");
});

test("layers draw back to front by layer_index, unnumbered ones last", () => {
  const scene = { layer_config: [layer("IMAGE", 5), { layer_type: "TEXT" }, layer("IMAGE", 1)] };
  assert.deepEqual(drawOrder(scene), [2, 0, 1]);
  assert.deepEqual(drawOrder({}), []);
});

test("a layer's box is its own, or keeps the picture's shape when one side is given", () => {
  const doc = landscape();
  const image = { layer_type: "IMAGE", position: { dx: 10, dy: 20 }, size: { width: 400 } };
  assert.deepEqual(layerBox(doc, META, image, { w: 200, h: 100 }), { x: 10, y: 20, w: 400, h: 200 });
  const tall = { layer_type: "IMAGE", size: { height: 300 } };
  assert.deepEqual(layerBox(doc, META, tall, { w: 200, h: 100 }), { x: 0, y: 0, w: 600, h: 300 });
  assert.deepEqual(layerBox(doc, META, { layer_type: "VIDEO" }), { x: 0, y: 0, w: 960, h: 540 });
});

test("the avatar's box is the figure framed by the compositor's rule", () => {
  for (const doc of [landscape(), portrait()]) {
    const canvas = canvasOf(doc, META);
    const human = { layer_type: "HUMAN", position: { dx: 100, dy: 50 }, size: { width: 500, height: 700 } };
    for (const given of [null, human]) {
      const [x, y, w, h] = frameFigure(humanBox(given, FIGURE, [canvas.width, canvas.height]), FIGURE).figure;
      assert.deepEqual(avatarBox(doc, META, given), { x, y, w, h });
    }
  }
  // Without the rig's metrics: the layer's box as given, else the palette's default.
  const unknown = landscape({ model_asset_id: "avatar-gone" });
  assert.deepEqual(avatarBox(unknown, META), { x: 1200, y: 80, w: 600, h: 1000 });
  assert.deepEqual(layerBox(unknown, META, { layer_type: "HUMAN", position: { dx: 5, dy: 6 }, size: { width: 70, height: 80 } }),
                   { x: 5, y: 6, w: 70, h: 80 });
});

test("a background image without a box covers the canvas, centred", () => {
  assert.deepEqual(backgroundBox(landscape(), META, {}, { w: 1000, h: 1000 }), { x: 0, y: -420, w: 1920, h: 1920 });
  assert.deepEqual(backgroundBox(landscape(), META, {}, null), { x: 0, y: 0, w: 1920, h: 1080 });
  const boxed = { background_image_config: { dx: 1, dy: 2, width: 3, height: 4 } };
  assert.deepEqual(backgroundBox(landscape(), META, boxed, { w: 10, h: 10 }), { x: 1, y: 2, w: 3, h: 4 });
});

test("boxes are written back as whole pixels; a text layer keeps only its width", () => {
  const image = layer("IMAGE", 3);
  setLayerBox(image, { x: 10.4, y: 20.6, w: 100.5, h: 0.2 });
  assert.deepEqual(image, { layer_type: "IMAGE", position: { dx: 10, dy: 21, layer_index: 3 }, size: { width: 101, height: 1 } });
  const text = { layer_type: "TEXT", size: { width: 10 } };
  setLayerBox(text, { x: 0, y: 0, w: 640.4, h: 99 });
  assert.deepEqual(text.size, { width: 640 });
  const background = {};
  setBackgroundBox(background, { x: -0.6, y: 0, w: 1920.2, h: 1080 });
  assert.deepEqual(background.background_image_config, { dx: -1, dy: 0, width: 1920, height: 1080 });
});

test("removing and moving layers keeps indexes 1..n in drawing order", () => {
  const scene = { layer_config: [layer("IMAGE", 1, { asset_id: "a" }), layer("IMAGE", 2, { asset_id: "b" }),
                                 layer("IMAGE", 3, { asset_id: "c" })] };
  shiftLayer(scene, 0, +1);                 // "a" goes in front of "b"
  assert.deepEqual(scene.layer_config.map((l) => [l.asset_id, l.position.layer_index]), [["a", 2], ["b", 1], ["c", 3]]);
  shiftLayer(scene, 2, +5);                 // already in front: stays
  assert.equal(scene.layer_config[2].position.layer_index, 3);
  removeLayer(scene, 1);
  assert.deepEqual(scene.layer_config.map((l) => [l.asset_id, l.position.layer_index]), [["a", 1], ["c", 2]]);
});

test("a new layer takes the palette's box for the orientation, in front of the others", () => {
  const scene = { layer_config: [layer("IMAGE", 4)] };
  const image = newLayer(portrait(), META, scene, "IMAGE", "mine");
  assert.deepEqual(image, { layer_type: "IMAGE", position: { dx: 90, dy: 200, layer_index: 5 }, asset_id: "mine",
                            size: { width: 900, height: 506 } });
  const text = newLayer(landscape(), META, {}, "TEXT");
  assert.equal(text.position.layer_index, 1);
  assert.equal(decodeText(text.text_config.text_context), "Your headline");
  assert.deepEqual(newLayer(landscape(), META, {}, "VIDEO").video_config, { loop_count: -1, video_sound: 0 });
  const crowded = { layer_config: [layer("IMAGE", MAX_LAYER_INDEX)] };
  assert.equal(newLayer(landscape(), META, crowded, "IMAGE").position.layer_index, MAX_LAYER_INDEX);
});

test("making the avatar explicit puts a HUMAN layer at its drawn box, behind the rest", () => {
  const doc = landscape();
  const scene = { layer_config: [layer("IMAGE", 1, { asset_id: "a" }), layer("TEXT", 2)] };
  const at = materializeAvatar(doc, META, scene);
  assert.equal(at, 2);
  const human = scene.layer_config[2];
  assert.equal(human.layer_type, "HUMAN");
  assert.deepEqual(scene.layer_config.map((l) => l.position.layer_index), [2, 3, 1]);
  const drawn = avatarBox(doc, META);
  assert.deepEqual([human.position.dx, human.position.dy, human.size.width, human.size.height],
                   [Math.round(drawn.x), Math.round(drawn.y), Math.round(drawn.w), Math.round(drawn.h)]);
});

test("a new scene starts from the last one's look with its own text and no sound of its own", () => {
  const last = { script_type: "AUDIO", audio_asset_id: "x", audio_config: {}, text_config: { text: "Old" },
                 background_config: [{ background_type: "COLOR", background_color_config: "#000000" }] };
  const scene = newScene(last);
  assert.deepEqual(scene, { script_type: "TEXT", text_config: { text: NEW_SCENE_TEXT },
                            background_config: [{ background_type: "COLOR", background_color_config: "#000000" }] });
  assert.notEqual(scene.background_config, last.background_config);      // a copy, not shared
  assert.equal(newScene(null).background_config[0].background_type, "COLOR");
  const transparent = newScene({ background_config: [] });
  assert.deepEqual(transparent.background_config, []);
  const doc = { shoot_scripts: [{ sequence_no: 4 }, { sequence_no: 9 }] };
  renumberScenes(doc);
  assert.deepEqual(doc.shoot_scripts.map((s) => s.sequence_no), [0, 1]);
});

test("only the composition's own fields are saved", () => {
  const doc = { model_asset_id: "m", voice_config: {}, video_config: {}, shoot_scripts: [], script_name: "x",
                revision: 3 };
  assert.deepEqual(Object.keys(compositionParts(doc)), ["model_asset_id", "voice_config", "video_config", "shoot_scripts"]);
});

test("a scene's rough length counts words and CJK characters at the voice's speed", () => {
  const doc = { voice_config: { speed: 100 } };
  assert.equal(sceneSeconds(doc, { text_config: { text: "" } }), 1);
  const words = Array(50).fill("word").join(" ");
  const normal = sceneSeconds(doc, { text_config: { text: `<speak>${words}</speak>` } });
  assert.ok(Math.abs(normal - (50 / (250 / 60) + 0.5)) < 1e-9, normal);
  const fast = sceneSeconds({ voice_config: { speed: 200 } }, { text_config: { text: words } });
  assert.ok(Math.abs(fast - (50 / (250 / 60) / 2 + 0.5)) < 1e-9, fast);
  assert.ok(sceneSeconds(doc, { text_config: { text: "你好世界你好世界你好" } }) > 2);
});
