import pytest

from sanxiang.testing.clues import segment_files


@pytest.fixture
def files(settings, tmp_path):
    """The segment writer over a private data folder."""
    yield from segment_files(settings, tmp_path)
