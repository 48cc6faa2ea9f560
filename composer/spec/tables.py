"""Tables 3-27 of the create-video reference, as declarations: types, mandatory fields, ranges, lengths, defaults.

Leniencies, all documented in the README:
- frame_rate: any number 1-60 is accepted (the reference's own example sends "30") and normalised to "25",
  the fixed rate of avatar video (applied in rules.py).
- SubtitleConfig.font_size below 24 and TextLayerConfig.font_size below 4 are raised to those values: the
  reference gives 0-120 as the interface range and 24/4-120 as the "actual" range to use.
- OutputAssetConfig.asset_name longer than 256 characters is cut, as the reference says excess is discarded.
"""
from __future__ import annotations

from dataclasses import replace

from composer.spec.layers import FADE_MAX_SECONDS, LAYER_TYPE_NAMES, TIMING_MAX_SECONDS
from composer.spec.schema import (
    Arr,
    Base64Text,
    Bool,
    Color,
    Float,
    Int,
    NotOffered,
    NumberText,
    Obj,
    Str,
    Url,
)

CODECS = ("H264", "VP8", "QTRLE")
CLIP_MODES = ("RESIZE", "CROP")
SCRIPT_TYPES = ("TEXT", "AUDIO")
BACKGROUND_TYPES = ("IMAGE", "COLOR")
AUTH_TYPES = ("NONE", "MSS_A")
DEFAULT_FONT = "HarmonyOS_Sans_SC_Black"

VOICE_CONFIG = Obj(title="VoiceConfig", description="Timbre configuration.", fields={
    "voice_asset_id": Str(required=True, min_length=1, max_length=256, description="Voice asset ID."),
    "speed": Int(minimum=50, maximum=200, default=100, description="100 = normal (about 250 words a minute)."),
    "pitch": Int(minimum=50, maximum=200, default=100, description="100 = the voice's own pitch."),
    "volume": Int(minimum=90, maximum=240, default=140, description="140 = unchanged gain."),
})

SUBTITLE_CONFIG = Obj(title="SubtitleConfig", description="Subtitle style and position.", fields={
    "dx": Int(minimum=0, maximum=1920, description="x of the lower-left corner of the subtitle box."),
    "dy": Int(minimum=0, maximum=1920, description="y of the lower-left corner of the subtitle box."),
    "h": Int(minimum=0, maximum=1920, description="Box height (informative)."),
    "w": Int(minimum=0, maximum=1920, description="Box width (informative; fixed at 80% of the width)."),
    "font_name": Str(max_length=64, default=DEFAULT_FONT),
    "font_size": Int(minimum=0, maximum=120, default=54, raise_to=24),
    "font_color": Color(max_length=7, default="#FFFFFF"),
    "stroke_color": Color(max_length=7),
    "stroke_thickness": Float(minimum=0, maximum=50),
    "opacity": Float(minimum=0, maximum=1, default=1.0,
                     description="Composer: the opacity of the box behind the text (0 = outline only); the text and "
                                 "its outline stay opaque so they keep a 4.5:1 contrast."),
    "word_highlight": Bool(default=False, ours=True, description="Composer: draw the word being spoken in a highlight colour "
                                                      "(burned-in subtitles only)."),
})

VIDEO_CONFIG = Obj(title="VideoConfig", description="Video output configuration.", fields={
    "clip_mode": Str(choices=CLIP_MODES, default="RESIZE"),
    "codec": Str(choices=CODECS, default="H264"),
    "bitrate": Int(required=True, minimum=40, maximum=30000, description="kbit/s; avatar video: 1000-8000."),
    "width": Int(required=True, minimum=0, maximum=3840),
    "height": Int(required=True, minimum=0, maximum=3840),
    "frame_rate": NumberText(default="25", max_length=8, description="Fixed at 25; other values are normalised."),
    "is_subtitle_enable": Bool(default=False),
    "subtitle_config": replace(SUBTITLE_CONFIG, default=lambda: SUBTITLE_CONFIG.check({}, "")),
    "dx": Int(minimum=-1920, maximum=3840, description="CROP: x of the crop origin in the model layout."),
    "dy": Int(minimum=-1920, maximum=3840, description="CROP: y of the crop origin in the model layout."),
    "is_enable_super_resolution": Bool(default=False),
    "is_end_at_first_frame": Bool(default=False),
    "output_external_url": NotOffered(max_length=2048, reason=(
        "Uploading the video to an external URL is not offered (the reference keeps it for whitelisted tenants): "
        "download it from the job's output_asset_config.preview_video_url (the callback says when it is ready).")),
    "is_vocabulary_config_enable": Bool(default=True),
})

TEXT_CONFIG = Obj(title="TextConfig", fields={
    "text": Str(required=True, max_length=131072, description="Plain text or SSML (<speak>...</speak>)."),
})

AUDIO_DRIVE_ACTION = Obj(title="AudioDriveActionConfig", fields={
    "action_tag": Str(required=True, min_length=1, max_length=64),
    "action_name": Str(max_length=64),
    "action_start_time": Float(required=True, minimum=0, maximum=2592000),
})

BACKGROUND_IMAGE_CONFIG = Obj(title="BackgroundImageConfig", fields={
    "dx": Int(required=True, minimum=-5760, maximum=0),
    "dy": Int(required=True, minimum=-5760, maximum=0),
    "width": Int(required=True, minimum=1, maximum=7680),
    "height": Int(required=True, minimum=1, maximum=7680),
})

BACKGROUND_CONFIG = Obj(title="BackgroundConfigInfo", fields={
    "background_type": Str(required=True, choices=BACKGROUND_TYPES),
    "background_config": Url(description="Background image URL (from the asset library)."),
    "background_color_config": Color(max_length=16, default="#FFFFFF"),
    "background_asset_id": Str(max_length=64),
    "background_image_config": BACKGROUND_IMAGE_CONFIG,
})

#: Composer extension: when an IMAGE, VIDEO or TEXT layer is on screen within its scene (HUMAN layers show for the
#: whole scene). Cross-field rules (end after start, fades inside the window) are in rules.check_timing; the ranges
#: are the layer registry's (composer.spec.layers).
LAYER_TIMING = Obj(title="LayerTimingConfig", ours=True, description=(
    "Composer extension: when the layer appears and disappears within its scene, in seconds from the scene's "
    "start. Without it the layer shows for the whole scene. IMAGE, VIDEO and TEXT layers only. A VIDEO layer's "
    "clip (and its sound) starts playing at `start`."), fields={
    "start": Float(minimum=0, maximum=TIMING_MAX_SECONDS, default=0.0,
                   description=f"Seconds from the scene's start when the layer appears (0-{TIMING_MAX_SECONDS}, "
                               "default 0)."),
    "end": Float(minimum=0, maximum=TIMING_MAX_SECONDS,
                 description="Seconds from the scene's start when the layer is gone; must be after start. Absent "
                             "or null: until the scene ends. A window past the scene's end is cut there."),
    "fade_in": Float(minimum=0, maximum=FADE_MAX_SECONDS, default=0.0,
                     description=f"Seconds the layer takes to fade in from start (0-{FADE_MAX_SECONDS}, default 0)."),
    "fade_out": Float(minimum=0, maximum=FADE_MAX_SECONDS, default=0.0,
                      description=f"Seconds the layer takes to fade out, ending at end, or at the scene's end "
                                  f"without one (0-{FADE_MAX_SECONDS}, default 0). With an end, fade_in + fade_out "
                                  "must fit inside start-end."),
})

#: Composer extension: the text layer's styling beyond MetaStudio's font_name/font_size/font_color. All optional
#: and stored only when given (the renderer applies TEXT_STYLE_DEFAULTS): without them a text layer draws as before.
BUNDLED_FONTS = ("Noto Sans",)
TEXT_ALIGNS = ("LEFT", "CENTER", "RIGHT")
FONT_WEIGHTS = ("REGULAR", "BOLD")
TEXT_STYLE_DEFAULTS = {"text_align": "LEFT", "line_height": 1.3, "box_opacity": 1.0, "box_padding": 0,
                       "shadow_offset_x": 4, "shadow_offset_y": 4, "shadow_blur": 6}
TEXT_STYLE_FIELDS = {
    "font_asset_id": Str(ours=True, min_length=1, max_length=64, description=(
        "Composer extension: a FONT asset (TTF/OTF) of the project to draw the text in; it takes the place of "
        "font_name.")),
    "font_weight": Str(ours=True, choices=FONT_WEIGHTS, description=(
        "Composer extension: REGULAR or BOLD. Absent: bold for heavy font names, as MetaStudio's default font "
        "(HarmonyOS_Sans_SC_Black) is.")),
    "text_align": Str(ours=True, choices=TEXT_ALIGNS, description=(
        "Composer extension: how lines sit in the layer's width: LEFT, CENTER or RIGHT.")),
    "line_height": Float(ours=True, minimum=0.8, maximum=3, description=(
        "Composer extension: the distance between lines as a multiple of font_size (0.8-3, default 1.3).")),
    "box_color": Color(ours=True, max_length=7, description=(
        "Composer extension: a box of this colour behind the text (#RRGGBB); absent or empty: no box.")),
    "box_opacity": Float(ours=True, minimum=0, maximum=1, description=(
        "Composer extension: the box's opacity, 0 (clear) to 1 (solid); the text stays opaque.")),
    "box_padding": Int(ours=True, minimum=0, maximum=200, description=(
        "Composer extension: space in layout pixels between the box's edge and the text (0-200), inside the "
        "layer's width.")),
    "shadow_color": Color(ours=True, max_length=7, description=(
        "Composer extension: a drop shadow of this colour under the text; absent or empty: no shadow.")),
    "shadow_offset_x": Int(ours=True, minimum=-100, maximum=100, description=(
        "Composer extension: the shadow's shift to the right in layout pixels (-100-100, default 4).")),
    "shadow_offset_y": Int(ours=True, minimum=-100, maximum=100, description=(
        "Composer extension: the shadow's shift down in layout pixels (-100-100, default 4).")),
    "shadow_blur": Int(ours=True, minimum=0, maximum=50, description=(
        "Composer extension: the shadow's blur radius in layout pixels, as CSS text-shadow's (0-50, default 6).")),
}

LAYER_CONFIG = Obj(title="LayerConfig", fields={
    "layer_type": Str(required=True, choices=LAYER_TYPE_NAMES),
    "asset_id": Str(max_length=64),
    "group_id": Str(max_length=64),
    "sequence_no": Int(minimum=0, maximum=2147483647),
    "position": Obj(title="LayerPositionConfig", fields={
        "dx": Int(required=True, minimum=-1920, maximum=3840),
        "dy": Int(required=True, minimum=-1920, maximum=3840),
        "layer_index": Int(required=True, minimum=1, maximum=100),
    }),
    "size": Obj(title="LayerSizeConfig", fields={
        "width": Int(minimum=1, maximum=7680),
        "height": Int(minimum=1, maximum=7680),
    }),
    "rotation": Obj(title="LayerRotationConfig", fields={"angle": Int(minimum=0, maximum=360, default=0)}),
    "image_config": Obj(title="ImageLayerConfig", fields={"image_url": Url()}),
    "video_config": Obj(title="VideoLayerConfig", fields={
        "video_url": Url(),
        "video_cover_url": Url(),
        "loop_count": Int(minimum=-1, maximum=100, default=-1),
        "video_sound": Int(minimum=0, maximum=100, default=0),
        "is_play_the_entire_video": Bool(default=False),
    }),
    "text_config": Obj(title="TextLayerConfig", fields={
        "text_context": Base64Text(max_length=1024),
        "font_name": Str(max_length=64, default=DEFAULT_FONT,
                         description=f"A bundled font ({', '.join(BUNDLED_FONTS)}); other names are drawn in the "
                                     "bundled font, bold for heavy names (Bold, Black, Heavy, Medium)."),
        "font_size": Int(minimum=0, maximum=120, default=16, raise_to=4),
        "font_color": Color(max_length=16, default="#FFFFFF"),
        **TEXT_STYLE_FIELDS,
    }),
    "timing": LAYER_TIMING,
})

SUBTITLE_FILES_MADE_HERE = ("Subtitle files are made by the render from the script (SRT and VTT: the job's "
                            "output_asset_config.subtitle_srt_url and subtitle_vtt_url); this server takes no subtitle file URLs.")
SUBTITLE_FILE_INFO = Obj(title="SubtitleFileInfo", fields={
    "subtitle_file_download_url": NotOffered(max_length=2048, reason=SUBTITLE_FILES_MADE_HERE),
    "subtitle_file_upload_url": NotOffered(max_length=2048, reason=SUBTITLE_FILES_MADE_HERE),
    "subtitle_file_state": Str(choices=("GENERATING", "GENERATE_SUCCEED", "GENERATE_FAILED")),
    "job_id": Str(max_length=64),
})

SHOOT_SCRIPT = Obj(title="ShootScript", fields={
    "script_type": Str(choices=SCRIPT_TYPES, default="TEXT"),
    "text_config": TEXT_CONFIG,
    "audio_duration": Float(minimum=0, maximum=36000),
    "audio_drive_action_config": Arr(item=AUDIO_DRIVE_ACTION, max_items=1000),
    "audio_drive_file_external_url": Url(),
    "audio_asset_id": Str(min_length=1, max_length=64, ours=True, description="Composer: an AUDIO asset that drives the scene."),
    "background_config": Arr(item=BACKGROUND_CONFIG, max_items=1, description=(
        "Omitted or empty: no background. VP8 (WebM) and QTRLE (MOV) output keep the scene see-through there; "
        "H.264 (MP4) has no alpha and shows #FFFFFF (see composer/spec/transparency.py).")),
    "layer_config": Arr(item=LAYER_CONFIG, max_items=100),
    "audio_config": Obj(title="AudioInfo", fields={"audio_id": Int(minimum=0, maximum=10000)}),
})

SHOOT_SCRIPT_ITEM = Obj(title="ShootScriptItem", fields={
    "sequence_no": Int(minimum=0, maximum=2147483647),
    "shoot_script": replace(SHOOT_SCRIPT, required=True),
    "subtitle_file_info": Obj(title="SubtitleFiles", fields={
        "text_subtitle_file": SUBTITLE_FILE_INFO,
        "audio_subtitle_file": SUBTITLE_FILE_INFO,
    }),
})

BACKGROUND_MUSIC_CONFIG = Obj(title="BackgroundMusicConfig", fields={
    "music_asset_id": Str(max_length=64),
    "volume": Int(minimum=0, maximum=100, default=100),
})

ACTION_CONFIG = Obj(title="ActionConfig", fields={
    "action_interval": Float(minimum=0, maximum=255, default=0.0,
                             description="0 = a gesture about every 4 s; 255 = none."),
})

COMPOSITION_FIELDS = {
    "model_asset_id": Str(min_length=1, max_length=64, description="Avatar (HUMAN_MODEL_2D) asset ID."),
    "voice_config": VOICE_CONFIG,
    "video_config": VIDEO_CONFIG,
    "shoot_scripts": Arr(item=SHOOT_SCRIPT_ITEM, min_items=1, max_items=100),
    "background_music_config": BACKGROUND_MUSIC_CONFIG,
    "action_config": replace(ACTION_CONFIG, default=lambda: ACTION_CONFIG.check({}, "")),
}

CREATE_BODY = Obj(title="Create2DDigitalHumanVideoReq", fields={
    "script_id": Str(min_length=1, max_length=64, description="Use a saved script's (approved) composition."),
    **COMPOSITION_FIELDS,
    "output_asset_config": Obj(title="OutputAssetConfig", fields={
        "asset_name": Str(required=True, max_length=256, truncate=True),
    }),
    "review_config": Obj(title="ReviewConfig", fields={"no_need_review": Bool()}),
    "callback_config": Obj(title="CallBackConfig", fields={
        "callback_url": Url(required=True),
        "auth_type": Str(choices=AUTH_TYPES, default="NONE"),
        "key": Str(max_length=256),
    }),
})

#: Composer extension: a saved script as a template. Its rules across fields (names, references, kinds, lengths,
#: allow-lists) are composer/spec/variables.py's; the values of one video come from a row.
VARIABLE_KINDS = ("text", "image", "video", "audio")
TEMPLATE_VARIABLE = Obj(title="TemplateVariable", fields={
    "name": Str(required=True, min_length=1, max_length=40, description=(
        "Written {{name}} where the value goes: a lowercase letter, then lowercase letters, digits or _ "
        "(at most 40).")),
    "kind": Str(choices=VARIABLE_KINDS, default="text", description=(
        "text: words in script text, SSML, text layers or output_name; image, video, audio: an asset slot "
        "(a layer's, background's, scene audio's or music's asset id written as {{name}}).")),
    "label": Str(max_length=64, description="What the editor and the approvers call it."),
    "sample": Str(required=True, min_length=1, max_length=1024, description=(
        "The value previews, thumbnails and a render of the template alone use; a slot's is one of allowed.")),
    "max_length": Int(minimum=1, maximum=1024, description=(
        "text only: the longest value a row may give (default 100); every field it is used in must hold it.")),
    "allowed": Arr(item=Str(min_length=1, max_length=64), max_items=200, description=(
        "Slots only (required for them): the asset ids a row may choose from.")),
})
TEMPLATE = Obj(title="TemplateConfig", ours=True, description=(
    "Composer extension: the script is a template; {{name}} in its texts and asset slots is filled from a row. "
    "Approval covers the variables and their rules with the rest of the composition."), fields={
    "variables": Arr(item=TEMPLATE_VARIABLE, required=True, min_items=1, max_items=50),
    "output_name": Str(max_length=256, description="The video's name, e.g. \"Welcome {{first_name}}\"."),
})

COMPOSITION = Obj(title="VideoComposition", fields={**COMPOSITION_FIELDS, "template": TEMPLATE})
