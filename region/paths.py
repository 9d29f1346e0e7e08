"""Where the project's files live: its root, the region's shipped reference data, and configured paths."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REGION_DATA = PROJECT_ROOT / "data" / "region"


def project_path(value: str) -> Path:
    """A configured path; relative ones are under the project root, whatever the working directory."""
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path
