"""Laws of the site's writer for every sequence of builds (hypothesis).

Each build is a map of paths to bytes, as :func:`dxplan.render.site.build_site`
renders it; the laws are those users rely on when they re-run ``dxplan site``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dxplan.render.site import MANIFEST, _write

PAGES = ("index.html", "site.css", "en/index.html", "en/a/b.html", "vi/index.html", "vi/c.html")
USER_FILES = {"notes.txt": b"mine", "en/mine.txt": b"also mine", "vi/a/x.html": b"<p>x</p>"}

builds = st.lists(
    st.dictionaries(st.sampled_from(PAGES), st.binary(max_size=6), min_size=1),
    min_size=1,
    max_size=4,
)


def _on_disk(out: Path, paths: Iterable[str]) -> dict[str, bytes]:
    return {p: (out / p).read_bytes() for p in paths if (out / p).is_file()}


@settings(max_examples=60, deadline=None)
@given(builds, st.booleans())
def test_each_build_leaves_exactly_its_files_and_never_touches_others(
    sequence: list[dict[str, bytes]], user_files_first: bool
) -> None:
    """After each build its files hold its bytes; only the changed ones were written;
    pages of the build before that it no longer makes are gone; a user's files stay."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        out.mkdir()

        def add_user_files() -> None:
            for path, content in USER_FILES.items():
                (out / path).parent.mkdir(parents=True, exist_ok=True)
                (out / path).write_bytes(content)

        if user_files_first:
            add_user_files()
        previous: dict[str, bytes] = {}
        for number, files in enumerate(sequence):
            before = _on_disk(out, PAGES)
            summary = _write(out, files, force=user_files_first and number == 0)
            if not user_files_first and number == 0:
                add_user_files()
            assert _on_disk(out, files) == files
            assert set(summary.written) == {p for p in files if before.get(p) != files[p]}
            assert set(summary.unchanged) == {p for p in files if before.get(p) == files[p]}
            assert set(summary.removed) == set(previous) - set(files)
            assert _on_disk(out, summary.removed) == {}
            assert _on_disk(out, USER_FILES) == USER_FILES
            manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            assert manifest["files"] == {
                p: hashlib.sha256(content).hexdigest() for p, content in files.items()
            }
            assert list(out.rglob("*.tmp")) == []
            previous = files
