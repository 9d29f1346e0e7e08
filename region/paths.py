"""Where the region's shipped reference data lives."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REGION_DATA = PROJECT_ROOT / "data" / "region"
