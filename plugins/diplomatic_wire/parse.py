"""Raw wire text -> :class:`Story`, exactly as ``wire-format.md`` describes.

Pure functions only: they see text (or bytes) and a file name, never Pelican.
Every way a file can fail to be a story raises :class:`RejectedStory` with a
short reason; nothing else is raised for any input.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from .story import Caption, Dateline, RejectedStory, Story

_FILE_NAME = re.compile(r"^\d+_(?P<hash>[0-9a-fA-F]{16})\.txt$")
_HEADER = re.compile(r"^date\s+(?P<date>\S+)(?:\s+(?P<title>.*))?$")  # any white space: scrapers leave no-break ones
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# C0/C1 controls (tab kept), DEL and the non-characters U+FFFE/U+FFFF: never text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_CREDIT = re.compile(
    r"\((?:Photo by (?P<by>[^()/]{1,120})/(?P<by_agency>[^()/]{1,60})"
    r"|(?P<agency>[^()/]{1,60})/(?P<names>[^()/]{1,120}))\)$"
)
_MONTHS = r"Jan\.|Feb\.|March|April|May|June|July|Aug\.|Sept\.|Oct\.|Nov\.|Dec\."
_DATELINE = re.compile(
    r"(?P<place>[^,()]{1,60}?(?:,[ \t]*[^,()]{1,40}?)?),[ \t]*"
    rf"(?P<month>{_MONTHS})[ \t]*(?P<day>\d{{1,2}})[ \t]*"
    r"(?:\((?P<agency>[^()]{1,60})\)[ \t]*)?(?:--|[\u2013\u2014])[ \t]*"
)
_DATELINE_SCAN = 200  # a dateline prefix is never longer; keeps matching O(1)
_ENDITEM = "enditem"
#: RFC 2822, whose dates RSS uses, has no year before 1900.
MIN_YEAR = 1900

# Bytes that never occur in text: their presence means the file is binary.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode_wire(data: bytes) -> str:
    """Decode a wire file: UTF-8 (BOM optional), else Windows-1252, else Latin-1.

    Wire feeds still carry legacy-encoded files; decoding them as the legacy
    single-byte code pages keeps their names readable instead of rejecting them.
    UTF-16 is recognised by its byte-order mark. Files where more than one byte
    in a hundred is a binary control byte are not text and are rejected.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise RejectedStory("not text (broken UTF-16)") from None
    if not data.strip():
        raise RejectedStory("empty file")
    sample = data[:65536]
    if len(_BINARY_BYTES.findall(sample)) > max(8, len(sample) // 100):
        raise RejectedStory("not text (binary data)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def clean_text(text: str) -> str:
    """One line of reading text: controls dropped, runs of white space made one.

    ``str.split`` splits where ``\\s`` matches (Unicode white space); a
    substitution would replace every single space with a space too."""
    return " ".join(_CONTROL.sub("", text).split())


def source_id_for(filename: str, text: str) -> str:
    """The HASH of ``NNN_HASH.txt``, else a stable hash of the text itself."""
    match = _FILE_NAME.match(filename)
    if match:
        return match.group("hash").lower()
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def split_paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs, hard wraps joined with one space."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(clean_text(" ".join(current)))
            current = []
    if current:
        paragraphs.append(clean_text(" ".join(current)))
    return [p for p in paragraphs if p]


def parse_caption(paragraph: str) -> Caption | None:
    """A photo caption if the paragraph ends with a credit, else ``None``."""
    match = _CREDIT.search(paragraph, max(0, len(paragraph) - 200))
    if not match:
        return None
    if match.group("by"):
        agency, names = match.group("by_agency"), match.group("by")
    else:
        agency, names = match.group("agency"), match.group("names")
    photographers = tuple(
        n.strip() for n in re.split(r",|\band\b", names) if n.strip()
    )
    text = paragraph[: match.start()].strip()
    if not text or not photographers:
        return None
    return Caption(
        text=text,
        credit=match.group(0)[1:-1],
        agency=agency.strip(),
        photographers=photographers,
    )


def parse_dateline(paragraph: str) -> tuple[Dateline, str] | None:
    """``PLACE, Mon. D (AGENCY) -- lede`` -> (Dateline, lede), else ``None``."""
    match = _DATELINE.match(paragraph[:_DATELINE_SCAN])
    if not match:
        return None
    place = match.group("place").strip()
    head = place.partition(",")[0]
    if not head.isupper():
        return None
    agency = match.group("agency")
    dateline = Dateline(
        place=place,
        month_day=f"{match.group('month')} {int(match.group('day'))}",
        agency=agency.strip() if agency else None,
    )
    return dateline, paragraph[match.end():].strip()


def parse_header(line: str) -> tuple[datetime.date, str]:
    """``date YYYY-MM-DD TITLE`` -> (date, title) or a rejection saying why."""
    match = _HEADER.match(line.strip())
    if not match:
        raise RejectedStory("no header line 'date YYYY-MM-DD TITLE'")
    raw_date = match.group("date")
    if not _ISO_DATE.match(raw_date):
        raise RejectedStory(f"bad date {clean_text(raw_date)[:20]!r} in header")
    try:
        date = datetime.date.fromisoformat(raw_date)
    except ValueError:
        raise RejectedStory(f"impossible date {raw_date}") from None
    if date.year < MIN_YEAR:
        raise RejectedStory(f"date {raw_date} before {MIN_YEAR} (an RSS date cannot be earlier)")
    title = clean_text(match.group("title") or "")
    if not title:
        raise RejectedStory("header has no title")
    return date, title


def parse_story(text: str, filename: str) -> Story:
    """Parse one wire story; raise :class:`RejectedStory` if it cannot be one."""
    if not isinstance(text, str):
        raise RejectedStory("not text")
    text = text.lstrip("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise RejectedStory("empty file")
    date, title = parse_header(lines[start])

    paragraphs = split_paragraphs(lines[start + 1:])
    if paragraphs and paragraphs[-1].lower() == _ENDITEM:
        paragraphs.pop()

    captions, found = [], None
    for paragraph in paragraphs:  # captions come before the dateline, which may end like a credit
        found = parse_dateline(paragraph)
        caption = parse_caption(paragraph) if found is None else None
        if caption is None:
            break
        captions.append(caption)
    rest = paragraphs[len(captions):]
    if not rest:
        raise RejectedStory("no body" if not captions else "no story text after the photo captions")

    dateline, lede = found if found else (None, rest[0])  # the dateline the loop stopped at, if any
    body = rest[1:]
    if not lede:
        if not body:
            raise RejectedStory("dateline without story text")
        lede, body = body[0], body[1:]

    return Story(
        source_id=source_id_for(filename, text),
        date=date,
        title=title,
        captions=tuple(captions),
        dateline=dateline,
        lede=lede,
        paragraphs=tuple(body),
    )
