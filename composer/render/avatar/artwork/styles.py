"""The presenters' looks: palettes and shape choices, and `style_for()` turning a set of choices (the builder's
plain data) into the `Style` the drawing code reads. Drawing lives in face/hair/body/extras."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Style:
    name: str
    unit: float              # native pixels per design unit
    skin: str
    skin_shade: str
    skin_deep: str           # creases, nostrils, the darkest skin shadows
    skin_light: str
    blush: str
    rim: str                 # cool rim light from behind, on the shadow side
    hair: str
    hair_shade: str
    hair_light: str
    hair_style: str          # one of HAIR_STYLES
    outfit: str              # one of OUTFITS
    cloth: str               # the main garment
    cloth_shade: str
    cloth_deep: str
    cloth_light: str
    shirt: str               # what shows under it (blouse, collar, tee)
    shirt_shade: str
    iris: str
    iris_light: str
    lash: str
    lips: str
    lips_upper: str          # the upper lip sits in shadow, a little darker
    lips_light: str
    brow: str
    accent: str              # jewellery / buttons
    lashes: bool             # drawn lashes flick at the outer corners
    brow_width: float
    spread: float            # extra shoulder half-width for a broader build
    neck: float              # neck half-width
    jaw: float = 0.0         # how much wider and squarer the jaw is
    beard: str = "none"      # "none", "stubble", "short" (trimmed beard and moustache)
    glasses: str = "none"    # "none", "round", "square"
    age: str = "adult"       # "adult" or "older" (soft lines around the eyes and mouth, forehead lines)
    tie: str = ""            # the tie's colour (outfit "shirt_tie")
    hair_glint: str = "#9C7462"   # the finest highlight strands
    supersample: int = 3     # drawing resolution factor before the LANCZOS downsample (1-2 for quick previews)


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def mix(first: str, second: str, t: float) -> str:
    """`first` moved a fraction t towards `second`."""
    a, b = _rgb(first), _rgb(second)
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(a, b, strict=True))


# --- palettes: every entry is plain data (the builder lists them as options) ---------------------------------------
SKINS: dict[str, dict] = {
    "porcelain": {"label": "Porcelain", "skin": "#F4D5C2", "skin_shade": "#DEB09A", "skin_deep": "#B9816A",
                  "skin_light": "#FDE9DC", "blush": "#F09C90", "rim": "#FFF1E8",
                  "lips": ("#C98279", "#B06A63", "#E3A79F"), "lips_tinted": ("#CC6670", "#B2505C", "#E69AA0")},
    "light": {"label": "Light", "skin": "#EDBB98", "skin_shade": "#D49775", "skin_deep": "#B0704F",
              "skin_light": "#F8D6BD", "blush": "#EE9A86", "rim": "#FFE9DA",
              "lips": ("#C07A6E", "#A6625A", "#DA9C92"), "lips_tinted": ("#C8666A", "#AE5058", "#E49A98")},
    "olive": {"label": "Olive", "skin": "#D7A77C", "skin_shade": "#BB895F", "skin_deep": "#946441",
              "skin_light": "#E9C39F", "blush": "#D98A70", "rim": "#FBE6D2",
              "lips": ("#B46E62", "#9A5A50", "#CE9286"), "lips_tinted": ("#BC5A60", "#A2474F", "#D88A8C")},
    "tan": {"label": "Tan", "skin": "#B77D5B", "skin_shade": "#9A6244", "skin_deep": "#774631",
            "skin_light": "#CF9C7B", "blush": "#C07A62", "rim": "#F3DCCB",
            "lips": ("#A2605A", "#8A4C47", "#BF827A"), "lips_tinted": ("#AC4E56", "#923E48", "#C87C80")},
    "brown": {"label": "Brown", "skin": "#8F5B3D", "skin_shade": "#764731", "skin_deep": "#56301F",
              "skin_light": "#A87453", "blush": "#9C5842", "rim": "#E6CCB8",
              "lips": ("#7E4438", "#68362D", "#9E6456"), "lips_tinted": ("#8E3E44", "#763038", "#AE666A")},
    "deep": {"label": "Deep", "skin": "#62402C", "skin_shade": "#4E3122", "skin_deep": "#341F15",
             "skin_light": "#7B5640", "blush": "#744232", "rim": "#D6BCA8",
             "lips": ("#6E3A2E", "#45231A", "#9A6654"), "lips_tinted": ("#86384A", "#52202C", "#B8707E")},
}

EYES: dict[str, dict] = {
    "brown": {"label": "Brown", "iris": "#6A4128", "iris_light": "#A8744C"},
    "dark_brown": {"label": "Dark brown", "iris": "#3F2A1D", "iris_light": "#7A553A"},
    "hazel": {"label": "Hazel", "iris": "#6A5A2C", "iris_light": "#A8924E"},
    "green": {"label": "Green", "iris": "#4C6A44", "iris_light": "#86A274"},
    "blue": {"label": "Blue", "iris": "#3E6282", "iris_light": "#7FA4C6"},
    "grey": {"label": "Grey", "iris": "#5A6570", "iris_light": "#97A3AE"},
}

HAIR_COLOURS: dict[str, dict] = {
    "black": {"label": "Black", "hair": "#221B18", "hair_shade": "#110D0B", "hair_light": "#4A3C35",
              "brow": "#231B17", "lash": "#18110E", "glint": "#7A6A62"},
    "dark_brown": {"label": "Dark brown", "hair": "#3A2620", "hair_shade": "#23160F", "hair_light": "#6B4636",
                   "brow": "#3A2620", "lash": "#22140F", "glint": "#9C7462"},
    "brown": {"label": "Brown", "hair": "#6A4630", "hair_shade": "#472F1F", "hair_light": "#9A6C4E",
              "brow": "#523626", "lash": "#2A1A12", "glint": "#C49878"},
    "auburn": {"label": "Auburn", "hair": "#87401F", "hair_shade": "#5C2913", "hair_light": "#BE6C3E",
               "brow": "#6C3520", "lash": "#2E1A12", "glint": "#E3A070"},
    "blonde": {"label": "Blonde", "hair": "#C8A166", "hair_shade": "#9C7A45", "hair_light": "#E8CF98",
               "brow": "#9A7A4E", "lash": "#4A3826", "glint": "#F6E6C0"},
    "grey": {"label": "Grey", "hair": "#8C8B8C", "hair_shade": "#626164", "hair_light": "#C2C1C2",
             "brow": "#6E6C6C", "lash": "#3A3434", "glint": "#E4E3E3"},
    "white": {"label": "White", "hair": "#D9D6D0", "hair_shade": "#AAA6A0", "hair_light": "#F5F3EF",
              "brow": "#AEA9A2", "lash": "#4A4240", "glint": "#FFFFFF"},
}

OUTFIT_COLOURS: dict[str, dict] = {
    "teal": {"label": "Teal", "cloth": "#1F5B6E", "cloth_shade": "#174655", "cloth_deep": "#0F3340",
             "cloth_light": "#2E7488"},
    "blue": {"label": "Blue", "cloth": "#3E5B8A", "cloth_shade": "#314A72", "cloth_deep": "#233757",
             "cloth_light": "#5475A8"},
    "navy": {"label": "Navy", "cloth": "#26324F", "cloth_shade": "#1D2740", "cloth_deep": "#141B2E",
             "cloth_light": "#3A4A6E"},
    "charcoal": {"label": "Charcoal", "cloth": "#3D4046", "cloth_shade": "#303338", "cloth_deep": "#222428",
                 "cloth_light": "#575B63"},
    "burgundy": {"label": "Burgundy", "cloth": "#7A2436", "cloth_shade": "#621C2B", "cloth_deep": "#46121E",
                 "cloth_light": "#98364A"},
    "forest": {"label": "Forest green", "cloth": "#2F5A42", "cloth_shade": "#244834", "cloth_deep": "#183324",
               "cloth_light": "#437558"},
    "mustard": {"label": "Mustard", "cloth": "#C0902C", "cloth_shade": "#A07622", "cloth_deep": "#7A5814",
                "cloth_light": "#D8AA48"},
    "camel": {"label": "Camel", "cloth": "#B08A62", "cloth_shade": "#94724E", "cloth_deep": "#6E5236",
              "cloth_light": "#C8A47C"},
    "plum": {"label": "Plum", "cloth": "#5E3A64", "cloth_shade": "#4C2E52", "cloth_deep": "#36203C",
             "cloth_light": "#7A5282"},
    "coral": {"label": "Coral", "cloth": "#D9705E", "cloth_shade": "#BD5B4A", "cloth_deep": "#963F32",
              "cloth_light": "#EC8C7A"},
    "white": {"label": "White", "cloth": "#F1EEE8", "cloth_shade": "#D8D3CA", "cloth_deep": "#B3ACA0",
              "cloth_light": "#FFFFFF"},
}

HAIR_STYLES: dict[str, str] = {
    "lob": "Shoulder-length lob, side part", "long": "Long and straight, middle part", "bob": "Bob with a fringe",
    "bun": "Sleek bun", "afro": "Afro", "crop": "Short textured crop", "side_part": "Short side part",
    "buzz": "Close-cropped", "bald": "Bald with short sides",
}

# Outfits: the garment the colour choice applies to, and what shows under it.
OUTFITS: dict[str, dict] = {
    "blazer": {"label": "Blazer over a blouse", "shirt": "#FBF7F1", "shirt_shade": "#E2D9CC", "accent": "#E6BE6A"},
    "sweater": {"label": "Crew-neck sweater over a shirt", "shirt": "#F4F7FA", "shirt_shade": "#CFD8E2",
                "accent": "#DADFE6"},
    "shirt_tie": {"label": "Shirt and tie (the colour is the tie's)", "shirt": "#F6F8FB", "shirt_shade": "#D4DCE6",
                  "accent": "#C9CED6"},
    "blouse": {"label": "Blouse", "shirt": "#FBF7F1", "shirt_shade": "#E2D9CC", "accent": "#E6BE6A"},
    "polo": {"label": "Polo shirt", "shirt": "#F4F7FA", "shirt_shade": "#CFD8E2", "accent": "#EDEFF2"},
    "cardigan": {"label": "Cardigan over a top", "shirt": "#F3EEE6", "shirt_shade": "#D9D0C2", "accent": "#D8C8A8"},
}

BUILDS: dict[str, dict] = {
    "slim": {"label": "Slim", "spread": 0.0, "neck": 48.0},
    "medium": {"label": "Medium", "spread": 8.0, "neck": 54.0},
    "broad": {"label": "Broad", "spread": 16.0, "neck": 60.0},
}

FEATURES: dict[str, dict] = {
    "soft": {"label": "Soft (lashes, fine arched brows, tinted lips)", "lashes": True, "brow_width": 7.5,
             "jaw": 0.0},
    "defined": {"label": "Defined (stronger brows, squarer jaw)", "lashes": False, "brow_width": 10.0, "jaw": 8.0},
}

GLASSES = {"none": "No glasses", "round": "Round frames", "square": "Square frames"}
BEARDS = {"none": "Clean-shaven", "stubble": "Stubble", "short": "Short beard"}
AGES = {"adult": "Adult", "older": "Older (soft lines)"}


def _derived_skin(base: str) -> dict:
    return {"skin": base, "skin_shade": mix(base, "#5A2E1C", 0.2), "skin_deep": mix(base, "#2A140C", 0.4),
            "skin_light": mix(base, "#FFF2E6", 0.3), "blush": mix(base, "#D85A4A", 0.3),
            "rim": mix(base, "#FFF4EC", 0.75),
            "lips": (mix(base, "#7A2E2A", 0.35), mix(base, "#5E2020", 0.45), mix(base, "#F0B0A8", 0.2)),
            "lips_tinted": (mix(base, "#A8303C", 0.5), mix(base, "#80202C", 0.55), mix(base, "#F09CA0", 0.35))}


def _derived_hair(base: str) -> dict:
    return {"hair": base, "hair_shade": mix(base, "#000000", 0.4), "hair_light": mix(base, "#FFFFFF", 0.25),
            "brow": mix(base, "#000000", 0.2), "lash": mix(base, "#000000", 0.65), "glint": mix(base, "#FFFFFF", 0.5)}


def _derived_cloth(base: str) -> dict:
    return {"cloth": base, "cloth_shade": mix(base, "#000000", 0.2), "cloth_deep": mix(base, "#000000", 0.42),
            "cloth_light": mix(base, "#FFFFFF", 0.16)}


def _derived_eyes(base: str) -> dict:
    return {"iris": base, "iris_light": mix(base, "#FFFFFF", 0.35)}


def palette(table: dict[str, dict], value: str, derive) -> dict:
    """A named palette entry, or one derived from a custom "#RRGGBB" base colour."""
    if HEX.match(value):
        return derive(value.upper())
    return table[value]


def style_for(choices, *, name: str, unit: float = 1.0, supersample: int = 3) -> Style:
    """The Style of a validated set of choices (any object with the PresenterChoices attributes)."""
    skin = palette(SKINS, choices.skin, _derived_skin)
    hair = palette(HAIR_COLOURS, choices.hair_colour, _derived_hair)
    cloth = palette(OUTFIT_COLOURS, choices.outfit_colour, _derived_cloth)
    eyes = palette(EYES, choices.eye_colour, _derived_eyes)
    outfit = OUTFITS[choices.outfit]
    face = FEATURES[choices.features]
    build = BUILDS[choices.build]
    lips = skin["lips_tinted"] if face["lashes"] else skin["lips"]
    tie = ""
    if choices.outfit == "shirt_tie":
        # The colour choice goes to the tie; the shirt is a pale tint of it.
        tie = cloth["cloth"]
        pale = mix(cloth["cloth"], "#F7F9FC", 0.86)
        cloth = {"cloth": pale, "cloth_shade": mix(pale, "#7A8496", 0.18), "cloth_deep": mix(pale, "#4A5466", 0.32),
                 "cloth_light": mix(pale, "#FFFFFF", 0.6)}
    return Style(
        name, unit=unit,
        skin=skin["skin"], skin_shade=skin["skin_shade"], skin_deep=skin["skin_deep"], skin_light=skin["skin_light"],
        blush=skin["blush"], rim=skin["rim"],
        hair=hair["hair"], hair_shade=hair["hair_shade"], hair_light=hair["hair_light"], hair_style=choices.hair_style,
        outfit=choices.outfit, cloth=cloth["cloth"], cloth_shade=cloth["cloth_shade"], cloth_deep=cloth["cloth_deep"],
        cloth_light=cloth["cloth_light"], shirt=outfit["shirt"], shirt_shade=outfit["shirt_shade"],
        iris=eyes["iris"], iris_light=eyes["iris_light"], lash=hair["lash"],
        lips=lips[0], lips_upper=lips[1], lips_light=lips[2], brow=hair["brow"], accent=outfit["accent"],
        lashes=face["lashes"], brow_width=face["brow_width"], spread=build["spread"], neck=build["neck"],
        jaw=face["jaw"], beard=choices.beard, glasses=choices.glasses, age=choices.age, tie=tie,
        hair_glint=hair["glint"], supersample=supersample,
    )


def with_unit(style: Style, unit: float, supersample: int | None = None) -> Style:
    return replace(style, unit=unit, supersample=style.supersample if supersample is None else supersample)

