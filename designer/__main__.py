"""`python -m designer` is the `nn-designer` command."""

import sys

from .cli import main

sys.exit(main())
