"""`commitments extract` on the trained spaCy pipeline (en_core_web_sm), whose
compiled parser cannot hold an error handler in some spaCy builds."""
import json

import pytest
from click.testing import CliRunner

from commitments.cli import main
from commitments.pipeline import base_pipeline


@pytest.fixture(scope="module")
def trained_available():
    nlp = base_pipeline()
    if "parser" not in nlp.pipe_names:
        pytest.skip("en_core_web_sm is not installed")


def test_extract_runs_on_the_trained_pipeline(tmp_path, trained_available):
    src = tmp_path / "2024-05-01_talks.txt"
    src.write_text("Both sides agreed to hold the next round of talks in Tokyo in 2025.\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    [doc] = [json.loads(line) for line in out.read_text().splitlines()]
    assert doc["date"] == "2024-05-01"
    assert [c["text"] for c in doc["commitments"]] == [
        "hold the next round of talks in Tokyo in 2025"]
    assert doc["commitments"][0]["deadline"] == "2025"
