// Framing a presenter like a camera: a line-for-line transcription of composer/spec/framing.py (the rule and its
// reasons are written there). The server sends each rig's figure metrics (asset.rig.figure); a test runs both on
// a table of boxes and compares. Boxes are [x, y, width, height] in layout pixels.

export const HEADROOM = 0.08;
export const SIDE_ROOM = 0.08;

export function shot(figure) {
  const shotTop = figure.top - HEADROOM * (figure.cut - figure.top);
  const width = (figure.right - figure.left) * (1 + 2 * SIDE_ROOM);
  return [shotTop, figure.cut - shotTop, width];
}

export function frameFigure(box, figure) {
  const [x, y, w, h] = box;
  const [shotTop, shotHeight, shotWidth] = shot(figure);
  const scale = Math.min(h / shotHeight, w / shotWidth);
  const lowest = Math.min(shotTop + h / scale, Math.max(figure.bottom, figure.cut));
  const left = x + w / 2 - ((figure.left + figure.right) / 2) * scale;
  const top = y + h - lowest * scale;
  const canvasW = figure.canvas[0] * scale;
  const canvasH = figure.canvas[1] * scale;
  const clip = [left, top, canvasW, Math.min(top + canvasH, y + h) - top];
  const figureTop = Math.max(y, top + shotTop * scale);
  const figureW = Math.min(w, shotWidth * scale);
  return { scale, offset: [left, top], clip, figure: [x + (w - figureW) / 2, figureTop, figureW, y + h - figureTop] };
}

export function boxForCanvas(left, top, scale, figure) {
  const [shotTop, shotHeight, shotWidth] = shot(figure);
  const centre = (figure.left + figure.right) / 2;
  return [left + (centre - shotWidth / 2) * scale, top + shotTop * scale, shotWidth * scale, shotHeight * scale];
}

export const OTHER_ORIENTATION_BOX = { landscape: [0.55, 0.12, 0.40, 0.88], portrait: [0.08, 0.36, 0.84, 0.64] };

export const orientation = (size) => (size[1] > size[0] ? "portrait" : "landscape");

export function defaultBox(figure, layout) {
  if (orientation(layout) === orientation(figure.layout)) return boxForCanvas(...defaultCanvas(figure, layout), figure);
  const [fx, fy, fw, fh] = OTHER_ORIENTATION_BOX[orientation(layout)];
  return [fx * layout[0], fy * layout[1], fw * layout[0], fh * layout[1]];
}

export function defaultCanvas(figure, layout) {
  if (orientation(layout) !== orientation(figure.layout)) {
    const framing = frameFigure(defaultBox(figure, layout), figure);
    return [framing.offset[0], framing.offset[1], framing.scale];
  }
  let [dx, dy, boxW] = figure.default_box;
  const [rigW, rigH] = figure.layout;
  if (layout[0] !== rigW || layout[1] !== rigH) {
    const ratio = Math.min(layout[0] / rigW, layout[1] / rigH);
    dx = (layout[0] - boxW * ratio) / 2 + (dx + boxW / 2 - rigW / 2) * ratio;
    dy = layout[1] - (rigH - dy) * ratio;
    boxW = boxW * ratio;
  }
  return [dx, dy, boxW / figure.canvas[0]];
}

export function humanBox(layer, figure, layout) {
  const position = layer?.position || {};
  const size = layer?.size || {};
  const { width, height } = size;
  if (width && height) {
    if ("dx" in position) return [position.dx, position.dy, width, height];
    const [x, y, w, h] = defaultBox(figure, layout);
    return [x + (w - width) / 2, y + h - height, width, height];
  }
  if (!width && !height && !("dx" in position)) return defaultBox(figure, layout);
  let [left, top, scale] = defaultCanvas(figure, layout);
  if ("dx" in position) { left = position.dx; top = position.dy; }
  if (width) scale = width / figure.canvas[0];
  else if (height) scale = height / figure.canvas[1];
  return boxForCanvas(left, top, scale, figure);
}
