"""Production settings for `make publish`: pelicanconf plus a public SITEURL."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = (os.environ.get("WIRE_SITEURL") or "https://diplomatic-wire.example").rstrip("/")
# Publishing is strict unless told otherwise (`make publish STRICT=0`).
WIRE_STRICT = os.environ.get("WIRE_STRICT", "").lower() not in ("0", "false", "no")
