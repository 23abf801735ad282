"""The check that answers "nothing changed" before Pelican is imported: it
must never skip a build whose input, command or environment changed."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from diplomatic_wire import staging, uptodate


def test_command_paths_resolve_against_the_working_folder(tmp_path):
    record, output, settings = uptodate.command_paths(
        ["content", "-o", "out", "-s", "conf/pelicanconf.py", "--cache-path", "c"], str(tmp_path))
    assert output == str(tmp_path / "out")
    assert settings == str(tmp_path / "conf" / "pelicanconf.py")
    assert os.path.dirname(record) == str(tmp_path / "c")
    assert uptodate.command_paths(["--output=out", "--settings=s.py"], str(tmp_path))[1] == str(tmp_path / "out")


@pytest.mark.parametrize("options", [
    ["content", "-s", "pelicanconf.py"],  # the output folder would come from the settings
    ["content", "-o", "out"],
    ["content", "-o", "out", "-s", "pelicanconf.py", "-r"],
    ["content", "-o", "out", "-s", "pelicanconf.py", "-lr"],
    ["content", "-o", "out", "-s", "pelicanconf.py", "--listen"],
    ["content", "-o", "out", "-s", "pelicanconf.py", "--print-settings"],
])
def test_commands_it_cannot_vouch_for_go_to_pelican(options, tmp_path):
    assert uptodate.command_paths(options, str(tmp_path)) is None


@pytest.mark.parametrize(("options", "watching"), [
    (["content", "-r"], True), (["content", "-lr", "-p", "8000"], True), (["--listen"], True),
    (["--autoreload", "-o", "out"], True), (["content", "-o", "out", "-s", "pelicanconf.py"], False),
    (["content", "-rs"], False),  # "-s" wants a value: malformed, Pelican itself refuses it
])
def test_watch_mode_is_told_from_the_command_line(options, watching):
    assert uptodate.watches(options) is watching


def test_invocation_digest_covers_environment_and_settings_files(tmp_path):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("SITENAME = 'A'\n")
    (tmp_path / "publishconf.py").write_text("from pelicanconf import *\n")
    command, env = ["pelican", "-o", "out"], {"WIRE_SITEURL": "", "MAKELEVEL": "1"}

    def key(command=command, env=env):
        return uptodate.invocation_digest(command, env, str(tmp_path), str(settings))

    first = key()
    assert key(env={**env, "MAKELEVEL": "2"}) == first  # make's bookkeeping only
    assert key(env={**env, "WIRE_SITEURL": "https://example.org"}) != first
    assert key(env={**env, "TZ": "Asia/Tokyo"}) != first  # settings may read any variable
    assert key(command=[*command, "-D"]) != first
    (tmp_path / "publishconf.py").write_text("from pelicanconf import *\nSITEURL = 'x'\n")
    assert key() != first


def test_a_fresh_output_is_answered_without_pelican_and_any_change_runs_it(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site = tmp_path / "site"
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "plugins"))
    monkeypatch.setenv("WIRE_SEEDDIR", str(corpus))
    monkeypatch.setenv("WIRE_SITEURL", "")
    monkeypatch.delenv(uptodate.RECORD_ENV, raising=False)
    monkeypatch.delenv(uptodate.INVOCATION_ENV, raising=False)
    monkeypatch.delenv(uptodate.FILES_ENV, raising=False)
    monkeypatch.delenv(uptodate.EARLY_COPY_ENV, raising=False)
    command = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-o", str(site),
               "-s", str(ROOT / "pelicanconf.py"), "--cache-path", str(tmp_path / "cache"),
               "--log-handler", "plain", "-e", "WIRE_SEARCH_INDEX=false"]

    def build(fails=False):
        """`make html`'s way: the check, which becomes Pelican."""
        result = subprocess.run([sys.executable, "-m", "diplomatic_wire.uptodate", *command],
                                capture_output=True, text=True, timeout=600)
        assert (result.returncode != 0) == fails, result.stderr
        return result.stdout + result.stderr

    def runs_pelican():
        """The check in this process, with Pelican's run caught: True when it would run it."""
        execs = []
        with monkeypatch.context() as patch:
            patch.setattr(uptodate, "become", lambda args, ahead=None: execs.append(args))
            patch.setattr(staging, "start_early_copy", lambda final, state: None)  # no copy for a build not run
            uptodate.main(command)
            patch.delenv(uptodate.EARLY_COPY_ENV, raising=False)
        assert execs in ([], [command])
        return bool(execs)

    assert "51 stories published" in build()
    assert not runs_pelican()
    assert capsys.readouterr().out == f"Wire: nothing changed since the last build of {site}\n"

    story = corpus / "000_4c7177a4660a4000.txt"
    story.touch()
    assert runs_pelican()
    assert "51 stories published" in build()
    assert not runs_pelican()

    monkeypatch.setenv("WIRE_SITEURL", "https://example.org/news")
    assert runs_pelican()
    monkeypatch.setenv("WIRE_SITEURL", "")

    (site / "index.html").unlink()  # the output is not what the last build left
    assert runs_pelican()
    assert "stories published" in build()
    assert not runs_pelican()

    shutil.rmtree(site)
    assert runs_pelican()
    assert "stories published" in build()
    assert not runs_pelican()

    (corpus / "bad.txt").write_text("no header here\n")
    assert "1 files rejected" in build()
    capsys.readouterr()
    assert not runs_pelican()  # nothing changed: the check names the rejected file again
    printed = capsys.readouterr()
    [line] = [line for line in printed.err.splitlines() if "bad.txt" in line]
    assert line.endswith("bad.txt: no header line 'date YYYY-MM-DD TITLE'")
    assert printed.out == f"Wire: nothing changed since the last build of {site}; 1 files rejected (above)\n"

    monkeypatch.setenv("WIRE_STRICT", "1")  # a strict build fails on it, every time
    assert runs_pelican()
    assert build(fails=True).count("bad.txt") == 1
    assert runs_pelican()


def test_make_html_answers_from_the_record_when_nothing_changed(tmp_path):
    """The Makefile runs the check: a second `make html` leaves even the
    record alone (Pelican's own check would write it again)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site, cache = tmp_path / "site", tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in (uptodate.RECORD_ENV, uptodate.INVOCATION_ENV)}
    command = ["make", "--no-print-directory", "-o", ".venv/bin/.installed", "html",
               f"SEEDDIR={corpus}", f"OUTPUTDIR={site}",
               f"PELICANOPTS=--log-handler plain --cache-path {cache} -e WIRE_SEARCH_INDEX=false"]

    def make_html():
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "51 stories published" in make_html()
    [record] = cache.glob("wire-uptodate-*.json")
    written = record.stat().st_mtime_ns
    assert f"nothing changed since the last build of {site}" in make_html()
    assert record.stat().st_mtime_ns == written


def test_the_build_takes_the_checks_digest_of_its_folders_once(tmp_path, monkeypatch):
    """The check lists the input folders; the build it becomes need not list
    10,000 files again, but takes the digest only for the same folders, once."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    folders = [str(folder)]
    monkeypatch.setenv(uptodate.FILES_ENV, '{"folders": ["%s"], "files": "taken"}' % folder)
    assert uptodate.digest_taken(folders) == "taken"
    assert uptodate.FILES_ENV not in os.environ  # a watching Pelican's next build lists them
    assert uptodate.digest_taken(folders) == uptodate.folders_digest(folders)

    monkeypatch.setenv(uptodate.FILES_ENV, '{"folders": ["/elsewhere"], "files": "taken"}')
    assert uptodate.digest_taken(folders) == uptodate.folders_digest(folders)
    monkeypatch.setenv(uptodate.FILES_ENV, "not json")
    assert uptodate.digest_taken(folders) == uptodate.folders_digest(folders)


def test_the_check_hands_its_digest_to_the_build_it_becomes(tmp_path, monkeypatch):
    """A story was added: the check runs Pelican with the digest it took."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    monkeypatch.delenv(uptodate.FILES_ENV, raising=False)
    record = tmp_path / "cache" / "record.json"
    output = tmp_path / "site"
    output.mkdir()
    monkeypatch.setattr(uptodate, "command_paths", lambda options, cwd: (str(record), str(output), "s.py"))
    monkeypatch.setattr(uptodate, "invocation_digest", lambda *args: "same command")
    monkeypatch.setenv(uptodate.RECORD_ENV, str(record))
    monkeypatch.setenv(uptodate.INVOCATION_ENV, "same command")
    uptodate.save_record([str(corpus)], uptodate.folders_digest([str(corpus)]), str(output))
    (corpus / "new.txt").write_text("date 2024-12-12 New story\n\nBody.\n")
    handed = []
    monkeypatch.setattr(uptodate, "become", lambda args, ahead=None: handed.append(os.environ.get(uptodate.FILES_ENV)))
    uptodate.main(["pelican", "-o", "site", "-s", "s.py"])
    digest = uptodate.folders_digest([str(corpus)])  # the new story's
    assert [json.loads(value) for value in handed] == [{"folders": [str(corpus)], "files": digest}]
    monkeypatch.setattr(uptodate, "folders_digest", lambda folders: pytest.fail("listed again"))
    assert uptodate.digest_taken([str(corpus)]) == digest


def test_the_plugin_bytecode_is_written_when_missing_or_out_of_date(tmp_path):
    """Even where Python writes none itself (PYTHONDONTWRITEBYTECODE): the
    next import uses it, and an up-to-date file is not written again."""
    package = tmp_path / "package"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "module.py").write_text("VALUE = 1\n")
    (package / "notes.txt").write_text("not a module")
    uptodate.compile_plugin(str(package))
    compiled = sorted(os.listdir(package / "__pycache__"))
    assert [name.split(".")[0] for name in compiled] == ["__init__", "module"]
    written = os.stat(package / "__pycache__" / compiled[1]).st_mtime_ns
    uptodate.compile_plugin(str(package))
    assert os.stat(package / "__pycache__" / compiled[1]).st_mtime_ns == written

    (package / "module.py").write_text("VALUE = 22\n")  # another size: out of date
    uptodate.compile_plugin(str(package))
    assert os.stat(package / "__pycache__" / compiled[1]).st_mtime_ns != written
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-v", "-c", "import package.module; print(package.module.VALUE)"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "22"
    assert f"matches {package / 'module.py'}" in out.stderr  # the bytecode was used, not compiled again


def test_pelican_runs_in_the_checks_own_process_where_this_python_runs_it(tmp_path):
    """Its modules are imported meanwhile (``import_ahead``); any other
    command is exec'd."""
    script = os.path.join(os.path.dirname(sys.executable), "pelican")
    assert uptodate.pelican_arguments([sys.executable, "-m", "pelican", "content", "-o", "out"]) == ["content", "-o", "out"]
    assert uptodate.pelican_arguments([script, "content"]) == ["content"]
    assert uptodate.pelican_arguments([sys.executable, "-m", "other"]) is None
    assert uptodate.pelican_arguments(["echo", "content"]) is None
    other = tmp_path / "pelican"  # another Pelican, of another Python
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    assert uptodate.pelican_arguments([str(other), "content"]) is None


def test_a_check_that_fails_runs_the_build(tmp_path, monkeypatch):
    """The check errs one way only: what it cannot vouch for goes to Pelican."""
    def broken(*args):
        raise OSError("unreadable")

    monkeypatch.setattr(uptodate, "_check", broken)
    monkeypatch.setattr(staging, "start_early_copy", lambda final, state: None)
    ran = []
    monkeypatch.setattr(uptodate, "become", lambda command, ahead=None: ran.append(command))
    command = ["pelican", "content", "-o", str(tmp_path / "site"), "-s", str(ROOT / "pelicanconf.py")]
    uptodate.main(command)
    monkeypatch.delenv(uptodate.RECORD_ENV, raising=False)
    monkeypatch.delenv(uptodate.INVOCATION_ENV, raising=False)
    assert ran == [command]
