"""Every setting is documented in the README, and the README keeps its promises."""

from pathlib import Path

import pytest

from config.settings import documented_settings
from metrics.catalogue import INDICATORS

README = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [name for name, _default, _help in documented_settings()])
def test_setting_is_documented_in_readme(name):
    assert f"`{name}`" in README, f"setting {name} is not documented in README.md"


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README


def test_every_built_in_table_is_documented():
    from config import load_config

    for name, source in load_config(env={}).sources.items():
        for stream in source.streams.values():
            assert f"`{stream.table}`" in README, f"table {stream.table} of source {name} is not documented in README.md"


@pytest.mark.parametrize("indicator_id", [i.id for i in INDICATORS])
def test_indicator_is_defined_in_readme(indicator_id):
    assert f"| `{indicator_id}` |" in README, f"indicator {indicator_id} has no definition row in README.md"
