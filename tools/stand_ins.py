"""Write an English stand-in beside every Chinese page that has none: ``make stand-ins``.

The translation-pending page gives the language switcher a counterpart to land on.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.stand_in import write_missing_stand_ins  # noqa: E402

for path in write_missing_stand_ins(REPO / "docs"):
    print(f"wrote {path.relative_to(REPO)}")
