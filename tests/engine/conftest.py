from __future__ import annotations

import sys
from pathlib import Path

# builders.py is a plain helper module next to the tests.
sys.path.insert(0, str(Path(__file__).parent))
