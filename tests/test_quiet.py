"""quiet_loading hides transformers' loading bar and puts the setting back."""
import pytest

from commitments.quiet import quiet_loading

hf_logging = pytest.importorskip("transformers.utils.logging")


@pytest.fixture(autouse=True)
def _restore():
    before = hf_logging.is_progress_bar_enabled()
    yield
    (hf_logging.enable_progress_bar if before else hf_logging.disable_progress_bar)()


def test_the_bar_is_off_while_loading_and_back_on_after():
    hf_logging.enable_progress_bar()
    with quiet_loading():
        assert not hf_logging.is_progress_bar_enabled()
    assert hf_logging.is_progress_bar_enabled()


def test_a_bar_the_user_turned_off_stays_off():
    hf_logging.disable_progress_bar()
    with quiet_loading():
        pass
    assert not hf_logging.is_progress_bar_enabled()


def test_the_setting_comes_back_when_loading_fails():
    hf_logging.enable_progress_bar()
    with pytest.raises(OSError):
        with quiet_loading():
            raise OSError("no such model")
    assert hf_logging.is_progress_bar_enabled()
