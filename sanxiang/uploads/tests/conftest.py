import pytest


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    """A data folder of each test's own: what a test finds in the partial folder and the store is its doing."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR
