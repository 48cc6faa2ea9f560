// Small inline SVG icons for the editor's buttons (no icon font: every glyph renders on every system).
const PATHS = {
  up: "M8 3l5 5H9.5v5h-3V8H3z",
  down: "M8 13L3 8h3.5V3h3v5H13z",
  copy: "M5 5V2.5A.5.5 0 015.5 2h8a.5.5 0 01.5.5v8a.5.5 0 01-.5.5H11v2.5a.5.5 0 01-.5.5h-8a.5.5 0 01-.5-.5v-8A.5.5 0 012.5 5zm1.5 0h4a.5.5 0 01.5.5v4h1.5v-6h-6zM3.5 6.5v6h6v-6z",
  trash: "M6 2h4l.5 1H13v1.5H3V3h2.5zM4 6h8l-.6 7.5a.5.5 0 01-.5.5H5.1a.5.5 0 01-.5-.5z",
};

export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "14");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("fill", "currentColor");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", PATHS[name]);
  svg.append(path);
  return svg;
}
