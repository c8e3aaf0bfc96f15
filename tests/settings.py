"""Settings of the test suite, so that a bare `pytest` runs as `make test` does.

The suite runs on the development defaults that `make` selects by exporting DEBUG=1 (a development
secret key, static files without a manifest); a value set in the environment still wins.
"""

import os

os.environ.setdefault("DEBUG", "1")

from pci_portal.settings import *  # noqa: E402, F403
