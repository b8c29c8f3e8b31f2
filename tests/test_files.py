import pytest

from partnerbook import files
from partnerbook.errors import WriteFailed


def test_write_text_replaces_atomically_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a" / "r.html"
    files.write_text(target, "one")
    files.write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["r.html"]


def test_a_failed_write_keeps_the_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "r.csv"
    files.write_text(target, "good")
    with pytest.raises(WriteFailed, match=r"r\.csv.*previous file, if any, was kept"):
        with files.replacing(target) as tmp:
            tmp.write_text("half")
            raise OSError(28, "No space left on device")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_an_error_inside_the_block_writes_nothing(tmp_path):
    target = tmp_path / "store.duckdb"
    with pytest.raises(ValueError):
        with files.replacing(target) as tmp:
            tmp.write_bytes(b"partial")
            raise ValueError("bad row")
    assert list(tmp_path.iterdir()) == []


def test_write_bytes(tmp_path):
    assert files.write_bytes(tmp_path / "x.bin", b"\x00\x01").read_bytes() == b"\x00\x01"
