"""The Neo4j driver's Rust extension (neo4j-rust-ext, a dependency) is the one in use: it packs
the bulk loader's parameters (Bolt's PackStream) several times faster than the driver's pure
Python, and the driver quietly falls back to that when the extension's version does not match
its own (pip can install them apart)."""

from __future__ import annotations

from importlib.metadata import version


def test_the_rust_extension_matches_the_driver():
    driver = version("neo4j").split(".")
    ext = version("neo4j-rust-ext").split(".")
    assert ext[:3] == driver[:3], f"neo4j {'.'.join(driver)} with neo4j-rust-ext {'.'.join(ext)}"


def test_the_driver_packs_with_the_rust_extension():
    from neo4j._codec.packstream import v1  # the driver's own switch (no public way to ask)

    assert v1._rust_pack is not None
