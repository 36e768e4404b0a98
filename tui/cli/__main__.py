"""`python -m tui.cli`: the `descent` command, as the tests and benchmarks start it."""

import sys

from tui.cli.main import main

sys.exit(main())
