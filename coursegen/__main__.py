"""`python -m coursegen` runs the CLI."""

import sys

from coursegen.cli import main

sys.exit(main())
