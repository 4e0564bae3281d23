"""``python -m cartesia_pulumi.cli``."""

import sys

from cartesia_pulumi.cli import main

sys.exit(main())
