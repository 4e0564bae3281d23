"""Entry point when the engine runs this directory as a ``runtime: python`` plugin."""

from cartesia_pulumi.provider.server import main

raise SystemExit(main())
