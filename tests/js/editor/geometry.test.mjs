// The canvas's box geometry (static/composer/editor/geometry.js): snapping, resizing about the opposite corner
// (rotated boxes too), keeping a box on the canvas, angles. Layout pixels throughout.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  angleTowards,
  HANDLES,
  keepOnCanvas,
  MIN_SIZE,
  resizeBox,
  snapBox,
  snapResize,
  snapTargets,
} from "../../../static/composer/editor/geometry.js";

const CANVAS = { width: 1920, height: 1080 };

function near(actual, expected, message) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message}: ${actual} is not ${expected}`);
}

// The four corners of a box turned by its angle about its centre.
function corners(box) {
  const angle = ((box.angle || 0) * Math.PI) / 180;
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  return Object.fromEntries(Object.entries(HANDLES).map(([name, [sx, sy]]) => {
    const lx = (sx * box.w) / 2;
    const ly = (sy * box.h) / 2;
    return [name, [cx + lx * Math.cos(angle) - ly * Math.sin(angle), cy + lx * Math.sin(angle) + ly * Math.cos(angle)]];
  }));
}

const OPPOSITE = { nw: "se", ne: "sw", sw: "ne", se: "nw" };

test("snap targets are the canvas's edges and centre lines and the other boxes'", () => {
  const targets = snapTargets(CANVAS, [{ x: 100, y: 50, w: 200, h: 100 }]);
  assert.deepEqual(targets.x, [0, 960, 1920, 100, 200, 300]);
  assert.deepEqual(targets.y, [0, 540, 1080, 50, 100, 150]);
});

test("a box snaps its nearest edge or centre per axis, within the threshold only", () => {
  const targets = snapTargets(CANVAS, []);
  // The centre (x 955) is 5 from 960; the top edge (y 4) is 4 from 0.
  const { box, guides } = snapBox({ x: 905, y: 4, w: 100, h: 60 }, targets, 6);
  assert.deepEqual(box, { x: 910, y: 0, w: 100, h: 60 });
  assert.deepEqual(guides, [{ axis: "x", at: 960 }, { axis: "y", at: 0 }]);

  const far = snapBox({ x: 500, y: 300, w: 100, h: 60 }, targets, 6);
  assert.deepEqual(far, { box: { x: 500, y: 300, w: 100, h: 60 }, guides: [] });
});

test("of two targets in reach the closer one wins", () => {
  const { box } = snapBox({ x: 97, y: 500, w: 10, h: 10 }, { x: [100, 95], y: [] }, 8);
  assert.equal(box.x, 95);      // left edge 97 is 2 from 95, 3 from 100
});

test("a box keeps the given share of itself on the canvas", () => {
  const kept = keepOnCanvas({ x: -500, y: 2000, w: 400, h: 200 }, CANVAS, 0.25);
  assert.deepEqual(kept, { x: -300, y: 1030, w: 400, h: 200 });
  const inside = { x: 10, y: 10, w: 400, h: 200 };
  assert.deepEqual(keepOnCanvas(inside, CANVAS, 0.25), inside);
});

test("each corner handle resizes about the opposite corner", () => {
  const start = { x: 100, y: 100, w: 400, h: 200, angle: 0 };
  assert.deepEqual(resizeBox(start, "se", 50, 30, false), { x: 100, y: 100, w: 450, h: 230, angle: 0 });
  assert.deepEqual(resizeBox(start, "nw", 50, 30, false), { x: 150, y: 130, w: 350, h: 170, angle: 0 });
  assert.deepEqual(resizeBox(start, "ne", 50, 30, false), { x: 100, y: 130, w: 450, h: 170, angle: 0 });
});

test("a rotated box keeps its opposite corner fixed on screen", () => {
  const start = { x: 300, y: 200, w: 400, h: 240, angle: 30 };
  for (const handle of Object.keys(HANDLES)) {
    const resized = resizeBox(start, handle, 40, -25, false);
    const [ox, oy] = corners(start)[OPPOSITE[handle]];
    const [nx, ny] = corners(resized)[OPPOSITE[handle]];
    near(nx, ox, `${handle}: the opposite corner's x`);
    near(ny, oy, `${handle}: the opposite corner's y`);
  }
});

test("a drag along a rotated box's own axis changes only that side", () => {
  const start = { x: 0, y: 0, w: 400, h: 200, angle: 90 };
  // Turned a quarter clockwise, the box's width runs down the screen.
  const resized = resizeBox(start, "se", 0, 100, false);
  near(resized.w, 500, "width");
  near(resized.h, 200, "height");
});

test("a resize never goes below the minimum size and can keep the aspect", () => {
  const start = { x: 0, y: 0, w: 400, h: 200 };
  const tiny = resizeBox(start, "se", -1000, -1000, false);
  assert.equal(tiny.w, MIN_SIZE);
  assert.equal(tiny.h, MIN_SIZE);
  const kept = resizeBox(start, "se", 200, 10, true);
  assert.equal(kept.w, 600);
  assert.equal(kept.h, 300);
});

test("a resize snaps the moving edges, the opposite corner stays", () => {
  const targets = { x: [1920], y: [1080] };
  const { box, guides } = snapResize({ x: 1500, y: 800, w: 415, h: 276 }, "se", targets, 8, false);
  assert.deepEqual(box, { x: 1500, y: 800, w: 420, h: 280 });
  assert.deepEqual(guides, [{ axis: "x", at: 1920 }, { axis: "y", at: 1080 }]);

  const left = snapResize({ x: 5, y: 100, w: 200, h: 100 }, "nw", { x: [0], y: [] }, 8, false).box;
  assert.deepEqual(left, { x: 0, y: 100, w: 205, h: 100 });
});

test("with the aspect kept only the closer axis snaps and the other side follows", () => {
  // The right edge (1916) is 4 from its target, the bottom edge (1078) 2: the bottom snaps, the width follows.
  const { box, guides } = snapResize({ x: 1520, y: 880, w: 396, h: 198 }, "se", { x: [1920], y: [1080] }, 8, true);
  assert.deepEqual(guides, [{ axis: "y", at: 1080 }]);
  assert.deepEqual(box, { x: 1520, y: 880, w: 400, h: 200 });
});

test("angles are clockwise from straight up, rounded to the step", () => {
  const centre = { x: 100, y: 100 };
  assert.equal(angleTowards(centre, { x: 100, y: 0 }), 0);
  assert.equal(angleTowards(centre, { x: 200, y: 100 }), 90);
  assert.equal(angleTowards(centre, { x: 100, y: 200 }), 180);
  assert.equal(angleTowards(centre, { x: 0, y: 100 }), 270);
  assert.equal(angleTowards(centre, { x: 110, y: 0 }, 15), 0);
  assert.equal(angleTowards(centre, { x: 0, y: 1 }, 15), 315);
});
