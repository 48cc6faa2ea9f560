// Pure box geometry for the canvas's drags, in layout pixels: snapping, resizing about the opposite corner
// (rotated boxes too), keeping a box partly on the canvas, angles. No DOM.

export const MIN_SIZE = 16;
// Corner handles: which way each one grows the box.
export const HANDLES = { nw: [-1, -1], ne: [1, -1], sw: [-1, 1], se: [1, 1] };

const rad = (deg) => (deg * Math.PI) / 180;

// Snap the box's edges and centre to the nearest target line within `threshold`, per axis.
// targets = {x: [...], y: [...]}; returns the snapped box and the guides to draw.
export function snapBox(box, targets, threshold) {
  const guides = [];
  const out = { ...box };
  for (const [axis, size] of [["x", "w"], ["y", "h"]]) {
    let best = null;
    for (const edge of [box[axis], box[axis] + box[size] / 2, box[axis] + box[size]]) {
      for (const target of targets[axis]) {
        const diff = target - edge;
        if (Math.abs(diff) <= threshold && (!best || Math.abs(diff) < Math.abs(best.diff))) best = { diff, target };
      }
    }
    if (best) {
      out[axis] = box[axis] + best.diff;
      guides.push({ axis, at: best.target });
    }
  }
  return { box: out, guides };
}

// Snap targets: the canvas edges and centre lines, and the edges and centres of other boxes.
export function snapTargets(canvas, others) {
  return {
    x: [0, canvas.width / 2, canvas.width, ...others.flatMap((b) => [b.x, b.x + b.w / 2, b.x + b.w])],
    y: [0, canvas.height / 2, canvas.height, ...others.flatMap((b) => [b.y, b.y + b.h / 2, b.y + b.h])],
  };
}

// Keep at least `keep` (a share of its size) of the box on the canvas.
export function keepOnCanvas(box, canvas, keep) {
  const keepW = box.w * keep;
  const keepH = box.h * keep;
  return { ...box, x: Math.min(canvas.width - keepW, Math.max(keepW - box.w, box.x)),
           y: Math.min(canvas.height - keepH, Math.max(keepH - box.h, box.y)) };
}

// Drag corner `handle` by (dx, dy); the opposite corner stays where it was, also for a rotated box.
export function resizeBox(start, handle, dx, dy, keepAspect) {
  const [sx, sy] = HANDLES[handle];
  const angle = rad(start.angle || 0);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The pointer's movement in the box's own (rotated) axes.
  const lx = dx * cos + dy * sin;
  const ly = -dx * sin + dy * cos;
  let w = Math.max(MIN_SIZE, start.w + sx * lx);
  let h = Math.max(MIN_SIZE, start.h + sy * ly);
  if (keepAspect) {
    const scale = Math.max(w / start.w, h / start.h);
    w = Math.max(MIN_SIZE, start.w * scale);
    h = (w * start.h) / start.w;
  }
  const cx = start.x + start.w / 2;
  const cy = start.y + start.h / 2;
  const ox = cx + (-sx * start.w / 2) * cos - (-sy * start.h / 2) * sin;
  const oy = cy + (-sx * start.w / 2) * sin + (-sy * start.h / 2) * cos;
  const ncx = ox + (sx * w / 2) * cos - (sy * h / 2) * sin;
  const ncy = oy + (sx * w / 2) * sin + (sy * h / 2) * cos;
  return { ...start, x: ncx - w / 2, y: ncy - h / 2, w, h };
}

// Snap the edges a corner handle moves (right or left, bottom or top) to the nearest target within `threshold`;
// the opposite corner stays. With the aspect kept, only the closer axis snaps and the other edge follows it.
// For unrotated boxes (a rotated box's edges are not lines of the layout).
export function snapResize(box, handle, targets, threshold, keepAspect) {
  const [sx, sy] = HANDLES[handle];
  const moving = { x: sx > 0 ? box.x + box.w : box.x, y: sy > 0 ? box.y + box.h : box.y };
  const best = {};
  for (const axis of ["x", "y"]) {
    for (const target of targets[axis]) {
      const diff = target - moving[axis];
      if (Math.abs(diff) <= threshold && (!best[axis] || Math.abs(diff) < Math.abs(best[axis].diff))) {
        best[axis] = { diff, target };
      }
    }
  }
  if (keepAspect && best.x && best.y) delete best[Math.abs(best.x.diff) <= Math.abs(best.y.diff) ? "y" : "x"];
  let { w, h } = box;
  if (best.x) w = Math.max(MIN_SIZE, w + sx * best.x.diff);
  if (best.y) h = Math.max(MIN_SIZE, h + sy * best.y.diff);
  if (keepAspect && best.x) h = (w * box.h) / box.w;
  else if (keepAspect && best.y) w = (h * box.w) / box.h;
  const x = sx < 0 ? box.x + box.w - w : box.x;
  const y = sy < 0 ? box.y + box.h - h : box.y;
  const guides = ["x", "y"].filter((axis) => best[axis]).map((axis) => ({ axis, at: best[axis].target }));
  return { box: { ...box, x, y, w, h }, guides };
}

// The clockwise angle (0..359, whole degrees) of `point` seen from `centre`, 0 = straight up; `step` rounds it.
export function angleTowards(centre, point, step = 1) {
  const raw = (Math.atan2(point.y - centre.y, point.x - centre.x) * 180) / Math.PI + 90;
  const angle = ((Math.round(raw / step) * step) % 360 + 360) % 360;
  return angle;
}
