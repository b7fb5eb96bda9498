"""``python -m govuk_notify.cli``: the ``govuk-notify`` command."""

import sys

from . import main

sys.exit(main())
