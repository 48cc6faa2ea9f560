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

export function defaultCanvas(figure, layout) {
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
  let [left, top, scale] = defaultCanvas(figure, layout);
  if (width && height) {
    if ("dx" in position) return [position.dx, position.dy, width, height];
    const [x, y, w, h] = boxForCanvas(left, top, scale, figure);
    return [x + (w - width) / 2, y + h - height, width, height];
  }
  if ("dx" in position) { left = position.dx; top = position.dy; }
  if (width) scale = width / figure.canvas[0];
  else if (height) scale = height / figure.canvas[1];
  return boxForCanvas(left, top, scale, figure);
}
