"""Start-up stays cheap: content is read and checked once and then kept in the data folder, and the heavy libraries
(PDF, spreadsheets, QR codes, calendars, sign-in, YAML) are imported on first use, not when the server starts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from core import content_cache
from core.content import Content

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ('yaml', 'reportlab', 'openpyxl', 'segno', 'icalendar', 'authlib', 'pyphen')

# what main.py does before serving: settings, services (content from the cache), the pages' routes
START = """
import json, sys
from core.config import parse_settings
from core.services import build_services
from nicegui import app
import pages
settings = parse_settings(['--data-dir', sys.argv[1]])
pages.register_all(build_services(settings))
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def start(data: Path) -> list[str]:
    """The heavy modules a start-up in a fresh interpreter imported."""
    code = START.format(heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, '-c', code, str(data)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_start_from_the_cache_reads_no_yaml_and_loads_no_heavy_library(tmp_path):
    first = start(tmp_path)
    assert first == ['yaml']  # the first start reads and checks the content files, and keeps the result
    assert list((tmp_path / content_cache.CACHE_DIR).glob('content-*.pickle'))
    assert start(tmp_path) == []


def test_a_changed_content_file_is_not_served_from_the_old_cache(tmp_path):
    folder = tmp_path / 'content'
    shutil.copytree(content_cache.CONTENT_DIR, folder)
    before = content_cache.content_key(folder)
    stages = folder / 'stages.yaml'
    stages.write_text(stages.read_text(encoding='utf-8') + '\n# edited\n', encoding='utf-8')
    assert content_cache.content_key(folder) != before


def test_a_damaged_cache_is_ignored_and_written_again(tmp_path):
    content_cache._memo.clear()  # as in a new process (another test may have loaded the content before)
    content_cache.load_content_cached(tmp_path)
    (cached,) = (tmp_path / content_cache.CACHE_DIR).glob('content-*.pickle')
    cached.write_bytes(b'not a pickle')
    content_cache._memo.clear()
    assert isinstance(content_cache.load_content_cached(tmp_path), Content)
    assert cached.read_bytes() != b'not a pickle'
