"""The built-in cast: each presenter is a set of builder choices plus a name, a short description and the frame
it is drawn for (the compositor maps every rig to the other orientation too)."""
from __future__ import annotations

# Each presenter starts with the English voice of its gender: SLT (Festival HTS) for women, Joe (Piper) for men.
DEFAULT_VOICES = {"female": "voice-en-us-slt", "male": "voice-en-us-joe"}

LANDSCAPE = {"orientation": "landscape", "layout": (1920, 1080), "unit": 1.0, "box_scale": 0.9, "centre_x": 1440.0}
# Portrait rigs fill the lower part of a 1080x1920 frame, larger; their layers are drawn a little above display size.
PORTRAIT = {"orientation": "portrait", "layout": (1080, 1920), "unit": 1.2, "box_scale": 0.92, "centre_x": 540.0}

CAST: list[dict] = [
    {"id": "maya", "name": "Maya", "gender": "female", "filename": "presenter-landscape.zip", **LANDSCAPE,
     "description": "Warm and composed; shoulder-length dark hair, teal blazer.",
     "choices": {"build": "slim", "features": "soft", "skin": "light", "eye_colour": "brown", "hair_style": "lob",
                 "hair_colour": "dark_brown", "outfit": "blazer", "outfit_colour": "teal"}},
    {"id": "leo", "name": "Leo", "gender": "male", "filename": "presenter-portrait.zip", **PORTRAIT,
     "description": "Friendly and direct; short textured crop, blue sweater over a shirt.",
     "choices": {"build": "broad", "features": "defined", "skin": "tan", "eye_colour": "dark_brown",
                 "hair_style": "crop", "hair_colour": "black", "outfit": "sweater", "outfit_colour": "blue",
                 "beard": "stubble"}},
    {"id": "amara", "name": "Amara", "gender": "female", "filename": "avatar-amara.zip", **LANDSCAPE,
     "description": "Energetic and bright; natural afro, mustard blouse.",
     "choices": {"build": "slim", "features": "soft", "skin": "deep", "eye_colour": "dark_brown",
                 "hair_style": "afro", "hair_colour": "black", "outfit": "blouse", "outfit_colour": "mustard"}},
    {"id": "daniel", "name": "Daniel", "gender": "male", "filename": "avatar-daniel.zip", **PORTRAIT,
     "description": "Relaxed and reassuring; close-cropped hair, short beard, green polo.",
     "choices": {"build": "broad", "features": "defined", "skin": "brown", "eye_colour": "dark_brown",
                 "hair_style": "buzz", "hair_colour": "black", "outfit": "polo", "outfit_colour": "forest",
                 "beard": "short"}},
    {"id": "sofia", "name": "Sofia", "gender": "female", "filename": "avatar-sofia.zip", **PORTRAIT,
     "description": "Poised and precise; long straight hair, burgundy blazer.",
     "choices": {"build": "slim", "features": "soft", "skin": "olive", "eye_colour": "green",
                 "hair_style": "long", "hair_colour": "brown", "outfit": "blazer", "outfit_colour": "burgundy"}},
    {"id": "kenji", "name": "Kenji", "gender": "male", "filename": "avatar-kenji.zip", **LANDSCAPE,
     "description": "Crisp and businesslike; neat side part, white shirt and navy tie.",
     "choices": {"build": "medium", "features": "defined", "skin": "porcelain", "eye_colour": "dark_brown",
                 "hair_style": "side_part", "hair_colour": "black", "outfit": "shirt_tie", "outfit_colour": "navy"}},
    {"id": "grace", "name": "Grace", "gender": "female", "filename": "avatar-grace.zip", **LANDSCAPE,
     "description": "Experienced and kind; white hair in a bun, round glasses, plum cardigan.",
     "choices": {"build": "slim", "features": "soft", "skin": "light", "eye_colour": "blue", "hair_style": "bun",
                 "hair_colour": "white", "outfit": "cardigan", "outfit_colour": "plum", "glasses": "round",
                 "age": "older"}},
    {"id": "walter", "name": "Walter", "gender": "male", "filename": "avatar-walter.zip", **PORTRAIT,
     "description": "A seasoned explainer; grey beard, square glasses, charcoal sweater.",
     "choices": {"build": "medium", "features": "defined", "skin": "porcelain", "eye_colour": "grey",
                 "hair_style": "bald", "hair_colour": "grey", "outfit": "sweater", "outfit_colour": "charcoal",
                 "beard": "short", "glasses": "square", "age": "older"}},
    {"id": "priya", "name": "Priya", "gender": "female", "filename": "avatar-priya.zip", **PORTRAIT,
     "description": "Clear and upbeat; glossy bob with a fringe, navy blazer.",
     "choices": {"build": "slim", "features": "soft", "skin": "tan", "eye_colour": "brown", "hair_style": "bob",
                 "hair_colour": "black", "outfit": "blazer", "outfit_colour": "navy"}},
    {"id": "sam", "name": "Sam", "gender": "male", "filename": "avatar-sam.zip", **LANDSCAPE,
     "description": "Casual and curious; auburn crop, coral polo.",
     "choices": {"build": "medium", "features": "defined", "skin": "light", "eye_colour": "hazel",
                 "hair_style": "crop", "hair_colour": "auburn", "outfit": "polo", "outfit_colour": "coral"}},
]
