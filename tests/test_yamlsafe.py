import pytest

from app import yamlsafe


def test_loads_plain_yaml_from_text_and_bytes():
    assert yamlsafe.load("id: mặc-định\nrules: [a, b]\n") == {"id": "mặc-định", "rules": ["a", "b"]}
    assert yamlsafe.load(b"x: 1") == {"x": 1}


def test_refuses_python_object_tags():
    # A rule pack or policy file must never be able to run code when it is read.
    with pytest.raises(yamlsafe.YAMLError):
        yamlsafe.load("!!python/object/apply:os.system ['echo owned']")
