// Template variables in the editor's doc (static/composer/editor/variables.js): samples drawn, names added,
// renamed and removed with every reference.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeText, encodeText } from "../../../static/composer/editor/doc.js";
import {
  addVariable, freeName, removeVariable, renameVariable, slotAsset, usage, withSamples,
} from "../../../static/composer/editor/variables.js";

function template() {
  return {
    shoot_scripts: [{ shoot_script: {
      text_config: { text: "<speak>Hi {{first_name}} of {{company}}</speak>" },
      layer_config: [{ layer_type: "TEXT", text_config: { text_context: encodeText("{{company}} rocks") } },
                     { layer_type: "IMAGE", asset_id: "{{logo}}" }],
    } }],
    template: { output_name: "For {{first_name}}", variables: [
      { name: "first_name", kind: "text", sample: "Ann", max_length: 40 },
      { name: "company", kind: "text", sample: "Acme", max_length: 30 },
      { name: "logo", kind: "image", sample: "bg-1", allowed: ["bg-1", "mine"] },
    ] },
  };
}

test("text and slots are drawn with the samples", () => {
  const doc = template();
  assert.equal(withSamples(doc, "Hi {{first_name}}, {{nobody}} & {{logo}}"), "Hi Ann, {{nobody}} & {{logo}}");
  assert.equal(slotAsset(doc, "{{logo}}"), "bg-1");
  assert.equal(slotAsset(doc, "mine"), "mine");
  assert.equal(slotAsset(doc, "{{nobody}}"), null);
  assert.equal(withSamples({}, "Hi {{first_name}}"), "Hi {{first_name}}");
});

test("renaming a variable renames every reference", () => {
  const doc = template();
  renameVariable(doc, "company", "firm");
  const scene = doc.shoot_scripts[0].shoot_script;
  assert.equal(scene.text_config.text, "<speak>Hi {{first_name}} of {{firm}}</speak>");
  assert.equal(decodeText(scene.layer_config[0].text_config.text_context), "{{firm}} rocks");
  renameVariable(doc, "logo", "brand");
  assert.equal(scene.layer_config[1].asset_id, "{{brand}}");
  renameVariable(doc, "first_name", "name");
  assert.equal(doc.template.output_name, "For {{name}}");
  assert.deepEqual(doc.template.variables.map((v) => v.name), ["name", "firm", "brand"]);
});

test("removing a variable leaves its sample in its places", () => {
  const doc = template();
  removeVariable(doc, "company");
  removeVariable(doc, "logo");
  const scene = doc.shoot_scripts[0].shoot_script;
  assert.equal(scene.text_config.text, "<speak>Hi {{first_name}} of Acme</speak>");
  assert.equal(scene.layer_config[1].asset_id, "bg-1");
  removeVariable(doc, "first_name");
  assert.equal(doc.template, undefined);
  assert.equal(doc.shoot_scripts[0].shoot_script.text_config.text, "<speak>Hi Ann of Acme</speak>");
});

test("new variables get free names, samples and rules; usage counts references", () => {
  const doc = template();
  assert.equal(freeName(doc, "company"), "company_2");
  addVariable(doc, { name: freeName(doc), kind: "text" });
  addVariable(doc, { name: "clip", kind: "video", firstAsset: "v-1" });
  assert.deepEqual(doc.template.variables.slice(3), [
    { name: "variable", kind: "text", sample: "Sample", max_length: 100 },
    { name: "clip", kind: "video", sample: "v-1", allowed: ["v-1"] }]);
  assert.deepEqual(usage(doc), { first_name: 2, company: 2, logo: 1, variable: 0, clip: 0 });
  const empty = {};
  addVariable(empty, { name: "offer" });
  assert.deepEqual(empty.template.variables.map((v) => v.name), ["offer"]);
});
