"""The same input builds byte-identical output, whatever the machine's settings."""

import datetime

from conftest import ROOT, run_build


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_builds_in_different_folders_hash_seeds_and_timezones_are_identical(tmp_path):
    first, second = tmp_path / "a" / "out", tmp_path / "b" / "elsewhere" / "site"
    one = run_build(ROOT / "seeds", first, siteurl="https://example.org/news",
                    extra_env={"PYTHONHASHSEED": "1", "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"})
    two = run_build(ROOT / "seeds", second, siteurl="https://example.org/news",
                    extra_env={"PYTHONHASHSEED": "4242", "TZ": "America/Los_Angeles", "LANG": "de_DE.UTF-8"})
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    a, b = tree(first), tree(second)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_no_local_path_or_build_time_in_output(seeds_site):
    """The sample stories are dated 2024-2025, so today's date can only be a leak."""
    today = datetime.date.today()
    needles = [
        str(ROOT).encode(), str(seeds_site).encode(),
        today.isoformat().encode(), today.strftime("%d %b %Y").encode(),
    ]
    for path in seeds_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            data = path.read_bytes()
            assert not [n for n in needles if n in data], path


def test_the_number_of_writer_processes_changes_no_byte(tmp_path):
    """Pages and feeds go to whichever writer process is free first."""
    built = {}
    for workers in (1, 2, 3):
        site = tmp_path / f"workers-{workers}"
        result = run_build(ROOT / "seeds", site, siteurl="https://example.org/news",
                           settings={"WIRE_WORKERS": workers}, search=True)
        assert result.returncode == 0, result.stderr
        built[workers] = tree(site)
    for workers in (2, 3):
        assert sorted(built[workers]) == sorted(built[1])
        assert [name for name in built[1] if built[workers][name] != built[1][name]] == []
