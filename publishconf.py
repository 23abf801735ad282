"""Production settings for `make publish`: pelicanconf plus a public SITEURL."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = (os.environ.get("WIRE_SITEURL") or "https://diplomatic-wire.example").rstrip("/")
WIRE_STRICT = True
