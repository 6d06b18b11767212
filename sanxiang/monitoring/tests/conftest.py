import pytest

from sanxiang.testing.clues import segment_files
from sanxiang.testing.monitoring import make_device, make_point


@pytest.fixture
def files(settings, tmp_path):
    """The segment writer over a private data folder."""
    yield from segment_files(settings, tmp_path)


@pytest.fixture
def device(world):
    """A device of a point of the Harbin agency."""
    return make_device(make_point(world.harbin))
