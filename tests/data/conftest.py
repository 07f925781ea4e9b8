import pytest


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_bytes) -> path: a real file in tmp_path, written byte for byte."""

    def write(name, content):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write


@pytest.fixture
def sentence():
    """sentence(error) -> message, after checking it is one sentence: one line, ending with a full stop."""

    def check(error):
        message = str(error.value if hasattr(error, "value") else error)
        assert "\n" not in message and message.endswith("."), message
        assert "Traceback" not in message
        return message

    return check
