import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

FIXTURES = ROOT / "tests" / "fixtures"


def run_build(seeddir, outputdir, siteurl="", strict=False, extra_env=None, settings=None, search=False,
              through_check=None):
    """A real `pelican` build, configured exactly as `make html` configures it
    (but without the Pagefind index unless ``search``: it takes time).
    ``settings`` override pelicanconf.py, as `pelican -e NAME=JSON` does.
    ``through_check``: a cache folder; the build then runs as `make html`
    runs it, through the up-to-date check (``uptodate``), with that cache."""
    env = {
        **os.environ,
        "WIRE_SEEDDIR": str(seeddir),
        "WIRE_SITEURL": siteurl,
        "WIRE_STRICT": "1" if strict else "",
        **(extra_env or {}),
    }
    command = [
        sys.executable, "-m", "pelican", str(ROOT / "content"),
        "-o", str(outputdir), "-s", str(ROOT / "pelicanconf.py"), "--log-handler", "plain",
    ]
    overrides = {"WIRE_SEARCH_INDEX": search, **(settings or {})}
    command += ["-e", *(f"{name}={json.dumps(value)}" for name, value in overrides.items())]
    if through_check is not None:
        command = [sys.executable, "-m", "diplomatic_wire.uptodate", *command, "--cache-path", str(through_check)]
        env["PYTHONPATH"] = str(ROOT / "plugins")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory):
    """The shipped sample corpus, built once under a sub-path SITEURL."""
    output = tmp_path_factory.mktemp("seeds-site")
    result = run_build(ROOT / "seeds", output, siteurl="https://example.org/news")
    assert result.returncode == 0, result.stderr + result.stdout
    return output


def make_corpus(directory, names):
    """Copy fixture wire files into a fresh corpus folder."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / "wire" / name, directory / name)
    return directory


def json_feed_validator():
    """The JSON Feed 1.1 schema (draft-04); its ``feed-1#/...`` references
    resolve to the JSON Feed 1 schema, registered under its own ``id``."""
    import json

    import jsonschema
    from referencing import Registry, Resource

    schemas = FIXTURES / "schemas"
    feed1 = json.loads((schemas / "jsonfeed-1.schema.json").read_text("utf-8"))
    feed11 = json.loads((schemas / "jsonfeed-1.1.schema.json").read_text("utf-8"))
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema)) for schema in (feed1, feed11)
    )
    return jsonschema.Draft4Validator(feed11, registry=registry)
