"""Pelican's content objects kept between builds, in shards.

Pelican's reader-level cache keeps what each reader returned, so every build
makes every article again (10,000 ``Article`` objects: about 2 s with their
checks), and it pickles the whole cache again when a single file changed
(70 MB at 10,000 stories: about 1 s). Its generator-level cache keeps the
objects themselves, but pickles each with the build's settings and context,
that is with every other object of the build.

This cache takes the place of the generator-level one (``attach``): it keeps
each object's attributes as Pelican made them, before any plugin changed
them; the build's settings and context are left out and given back on
loading, from the build that loads them. It is split into shards by file
name, and a build rewrites only the shards where a file changed, appeared
or went.
"""

from __future__ import annotations

import copyreg
import hashlib
import logging
import os
import pickle
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pelican.urlwrappers import URLWrapper

from .incremental import file_digest

logger = logging.getLogger(__name__)

#: Shards per cache: one new story rewrites 1/64 of the cache.
SHARDS = 64

@dataclass(frozen=True)
class Snapshot:
    """An object's class, its attributes, and the names of those that are
    containers it may change in place (its metadata, its translations)."""

    cls: type
    attributes: dict[str, Any]
    containers: tuple[str, ...]


def snapshot(content: Any, shared: frozenset[int] = frozenset()) -> Snapshot:
    """The object's attributes, as they are now. Containers are copied, but
    those of the build, by id in ``shared``."""
    attributes = dict(vars(content))
    containers = tuple(
        key for key, value in attributes.items() if type(value) in (dict, list) and id(value) not in shared
    )
    for key in containers:
        attributes[key] = attributes[key].copy()
    return Snapshot(type(content), attributes, containers)


def restore(state: Snapshot) -> Any:
    """A new object from ``snapshot``; changing it leaves the snapshot as it was."""
    content = state.cls.__new__(state.cls)
    content.__dict__.update(state.attributes)
    for key in state.containers:
        content.__dict__[key] = state.attributes[key].copy()
    return content


#: The build's shared objects, by name, while a shard is being loaded.
_loading: ContextVar[dict[str, Any]] = ContextVar("loading")


def _shared(name: str) -> Any:
    """What a shared object pickled by name stands for in the loading build."""
    return _loading.get()[name]


@dataclass(frozen=True)
class _SharedName:
    """Stands for a shared object in a pickle (see ``_shared``)."""

    name: str


class _Pickler(pickle.Pickler):
    """Pickles the build's shared objects by name, where they are an object's
    attribute: a snapshot's, or that of one of Pelican's URL wrappers (a
    category keeps the settings). Only such objects pass through Python
    here; a ``persistent_id`` would see every string and tuple."""

    def __init__(self, file, shared: dict[str, Any]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(value): name for name, value in shared.items()}

    def _named(self, attributes: dict[str, Any]) -> dict[str, Any]:
        names = self._names
        return {key: _SharedName(names[id(v)]) if id(v) in names else v for key, v in attributes.items()}

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Snapshot:
            return Snapshot, (obj.cls, self._named(obj.attributes), obj.containers)
        if type(obj) is _SharedName:
            return _shared, (obj.name,)
        if isinstance(obj, URLWrapper):
            return copyreg.__newobj__, (type(obj),), self._named(vars(obj))
        return NotImplemented


class ObjectCache:
    """Content objects by source file (as the generator names it), each with
    the stamp its file had when the object was made.

    ``shared`` names the objects of the build that are not pickled (its
    settings and context); ``stamp`` gives a file's stamp (Pelican's
    ``CHECK_MODIFIED_METHOD``).

    An object made from its file's bytes alone carries their digest
    (``source_digest``: a story; not a page, whose date may be its file's
    time). When only its file's time changed (a fresh checkout or copy of
    the wire folder, a ``touch``), ``bytes_digest`` of the file tells: the
    same bytes keep the object, which takes the new stamp. At 10,000
    stories all touched, a rebuild read and parsed every story again: 9 s.
    """

    def __init__(self, folder: str, shared: dict[str, Any], stamp, load: bool = True, save: bool = True,
                 bytes_digest=None) -> None:
        self.folder = folder
        self._shared = shared
        self._shared_ids = frozenset(map(id, shared.values()))
        self._stamp = stamp
        self._bytes_digest = bytes_digest
        self._save = save
        self._shards: list[dict[str, tuple[Any, Snapshot]]] = [{} for _ in range(SHARDS)]
        self._changed: set[int] = set()
        self._stamps: dict[str, Any] = {}  # this build's stamps, by file
        if load:
            self._load()

    def _load(self) -> None:
        for index in range(SHARDS):
            try:
                with open(self._shard_path(index), "rb") as handle:
                    token = _loading.set(self._shared)
                    try:
                        self._shards[index] = pickle.load(handle)
                    finally:
                        _loading.reset(token)
            except FileNotFoundError:
                continue
            except Exception as error:  # any unreadable shard is rebuilt, not trusted
                logger.warning("Cannot load cache %s (%s); its files are read again", self._shard_path(index), error)
                self._changed.add(index)

    def _shard_path(self, index: int) -> str:
        return os.path.join(self.folder, f"{index:02d}.pickle")

    @staticmethod
    def _shard_of(name: str) -> int:
        digest = hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=4).digest()
        return int.from_bytes(digest, "big") % SHARDS

    def _current_stamp(self, name: str) -> Any:
        if name not in self._stamps:
            self._stamps[name] = self._stamp(name)
        return self._stamps[name]

    def take_stamps(self, stamps: dict[str, Any]) -> None:
        """The stamps of files, taken (as ``stamp`` takes them) before the
        build asks for their objects: listed in another process."""
        self._stamps.update(stamps)

    def is_fresh(self, name: str) -> bool:
        """Whether the object of this file is cached and its file unchanged."""
        return self._unchanged(name, self._shard_of(name))

    def _unchanged(self, name: str, index: int) -> bool:
        """Whether the object of this file is cached and its file has the same
        stamp, or the same bytes (the entry then takes the new stamp)."""
        stamp = self._current_stamp(name)  # also marks the file as part of this build
        entry = self._shards[index].get(name)
        if entry is None:
            return False
        if entry[0] == stamp:
            return True
        source_digest = entry[1].attributes.get("source_digest")
        if not (source_digest and self._bytes_digest):
            return False
        try:
            same = self._bytes_digest(name) == source_digest
        except OSError:
            return False
        if same:
            self._shards[index][name] = (stamp, entry[1])
            self._changed.add(index)
        return same

    def get_cached_data(self, name: str, default: Any = None) -> Any:
        """The object made from this file, made anew from the cache; ``default``
        when its file changed or it was never cached."""
        index = self._shard_of(name)
        if not self._unchanged(name, index):
            if self._shards[index].pop(name, None) is not None:
                self._changed.add(index)
            return default
        return restore(self._shards[index][name][1])

    def cache_data(self, name: str, content: Any) -> None:
        """Keep the object just made from this file, as it is now."""
        if self._save:
            index = self._shard_of(name)
            self._shards[index][name] = (self._current_stamp(name), snapshot(content, self._shared_ids))
            self._changed.add(index)

    @property
    def changed_shards(self) -> int:
        """How many shards ``save_cache`` writes, at least."""
        return len(self._changed)

    def save_cache(self) -> None:
        """Write the shards that changed, dropping the objects of files this
        build did not ask for (deleted, or no longer read)."""
        if not self._save:
            return
        for index, shard in enumerate(self._shards):
            gone = [name for name in shard if name not in self._stamps]
            for name in gone:
                del shard[name]
            if index in self._changed or gone:
                self._write(index)
        self._changed.clear()

    def _write(self, index: int) -> None:
        path = self._shard_path(index)
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(self.folder, exist_ok=True)
            with open(temporary, "wb") as handle:
                _Pickler(handle, self._shared).dump(self._shards[index])
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
            logger.warning("Could not save cache %s (%s)", path, error)
            try:
                os.remove(temporary)
            except OSError:
                pass


def cache_folder(settings: dict, generator_name: str) -> str:
    return os.path.join(settings["CACHE_PATH"], f"{generator_name}-objects")


def will_load(settings: dict, generator_name: str) -> bool:
    """Whether the generator will load objects an earlier build kept: the
    build is a rebuild, which reads only new and changed files."""
    return (settings["CONTENT_CACHING_LAYER"] == "generator" and settings["LOAD_CONTENT_CACHE"]
            and os.path.isdir(cache_folder(settings, generator_name)))


def attach(generator) -> ObjectCache | None:
    """Use an ``ObjectCache`` as the generator's content cache, where the
    settings ask for Pelican's generator-level one (``CONTENT_CACHING_LAYER``);
    it follows ``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE`` and
    ``CHECK_MODIFIED_METHOD`` as Pelican's would."""
    settings = generator.settings
    if settings["CONTENT_CACHING_LAYER"] != "generator":
        return None
    cache = ObjectCache(
        cache_folder(settings, type(generator).__name__),
        {"settings": settings, "context": generator.context},
        generator._get_file_stamp,
        load=settings["LOAD_CONTENT_CACHE"],
        save=settings["CACHE_CONTENT"],
        bytes_digest=lambda name: file_digest(os.path.join(generator.path, name)),
    )
    generator.get_cached_data = cache.get_cached_data
    generator.cache_data = cache.cache_data
    generator.save_cache = cache.save_cache
    return cache
