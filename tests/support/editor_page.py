"""The editor page in the browser tests: scripts made through the API, opening the editor, the canvas's
geometry, drags, and waiting for an autosave."""
from __future__ import annotations

import io

from PIL import Image

from tests.support.browser import sign_in
from tests.support.factories import create_composition

LAYER_BOX = (240, 160, 480, 240)     # the image layer: dx, dy, width, height (layout pixels)


def red_png(size=(200, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (220, 30, 40)).save(out, "PNG")
    return out.getvalue()


def new_script(server, name: str, *, layers=(), background=None) -> str:
    body = create_composition()
    scene = body["shoot_scripts"][0]["shoot_script"]
    if background:
        scene["background_config"] = [background]
    if layers:
        scene["layer_config"] = list(layers)
    response = server.api("POST", "/digital-human-video-scripts", json={"script_name": name, **body})
    assert response.status_code == 200, response.text
    return response.json()["script_id"]


def image_layer(asset_id: str, box=LAYER_BOX, index: int = 2) -> dict:
    dx, dy, width, height = box
    return {"layer_type": "IMAGE", "asset_id": asset_id, "position": {"dx": dx, "dy": dy, "layer_index": index},
            "size": {"width": width, "height": height}}


def head(server, script_id: str) -> dict:
    return server.api("GET", f"/digital-human-video-scripts/{script_id}").json()


def layers(script: dict) -> list[dict]:
    return script["shoot_scripts"][0]["shoot_script"].get("layer_config", [])


def open_editor(server, page, script_id: str, user: str = "demo") -> None:
    sign_in(server, page, user)
    page.goto(f"{server.base}/p/{server.project_id}/scripts/{script_id}")
    page.wait_for_function("window.composerEditor && document.querySelector('.ed-sizer')?.dataset.zoom")
    page.wait_for_function("[...document.querySelectorAll('.ed-stage img')].every((i) => i.complete)")


def stage(page) -> dict:
    return page.evaluate("""() => { const s = document.querySelector('.ed-sizer'); const r = s.getBoundingClientRect();
                                   return {x: r.left, y: r.top, z: Number(s.dataset.zoom)}; }""")


def drag(page, layout_point, screen_delta, *, free: bool = True) -> None:
    """Press at a layout point of the canvas and move by screen pixels (Alt held: no snapping)."""
    s = stage(page)
    x, y = s["x"] + layout_point[0] * s["z"], s["y"] + layout_point[1] * s["z"]
    if free:
        page.keyboard.down("Alt")
    page.mouse.move(x, y)
    page.mouse.down()
    for step in (0.25, 0.5, 0.75, 1):
        page.mouse.move(x + screen_delta[0] * step, y + screen_delta[1] * step)
    page.mouse.up()
    if free:
        page.keyboard.up("Alt")


def saved(page, revision: int) -> None:
    page.wait_for_function(f"(() => {{ const s = window.composerEditor.saveState; "
                           f"return s.revision >= {revision} && !s.dirty && !s.saving; }})()", timeout=20000)


def doc_layers(page) -> list[dict]:
    return page.evaluate("window.composerEditor.scene().layer_config || []")


def handle_point(page, key: str, handle: str) -> tuple[float, float]:
    box = page.locator(f"[data-frame='{key}'] [data-handle='{handle}']").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def press_and_move(page, start, delta, *, shift: bool = False) -> None:
    if shift:
        page.keyboard.down("Shift")
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + delta[0] / 2, start[1] + delta[1] / 2)
    page.mouse.move(start[0] + delta[0], start[1] + delta[1])
    page.mouse.up()
    if shift:
        page.keyboard.up("Shift")
