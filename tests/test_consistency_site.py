"""The checks on a built site: Python blocks come from examples, nothing loads from elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import consistency_site
from tests.consistency_trees import make_tree, write


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


def site_page(*blocks: str) -> str:
    body = "".join(
        '<div class="language-python highlight"><pre><span></span><code>'
        f"{block}</code></pre></div>"
        for block in blocks
    )
    return f"<html><body>{body}</body></html>"


def test_a_site_block_that_comes_from_an_example_passes(tree: Path) -> None:
    site = tree / "site"
    write(
        tree,
        "site/demo/index.html",
        site_page(
            '<span class="kn">from</span> fastapi import FastAPI\n\napp = FastAPI()\n',
            'print(<span class="s2">"hi"</span>)\n',
        ),
    )

    assert consistency_site.check_site_blocks(site, tree) == []


def test_a_site_block_typed_by_hand_is_reported(tree: Path) -> None:
    site = tree / "site"
    write(tree, "site/demo/index.html", site_page("app = FastAPI(debug=True)\n"))

    assert consistency_site.check_site_blocks(site, tree) == [
        (
            "demo/index.html: a Python block starting 'app = FastAPI(debug=True)' "
            "matches no file under examples/; include the code from an example "
            "instead of typing it"
        )
    ]


def test_site_blocks_in_other_languages_are_not_checked(tree: Path) -> None:
    site = tree / "site"
    html = '<div class="language-console highlight"><pre><code>$ ls</code></pre></div>'
    write(tree, "site/demo/index.html", html)

    assert consistency_site.check_site_blocks(site, tree) == []


def test_a_built_site_that_loads_only_its_own_files_passes(tmp_path: Path) -> None:
    write(
        tmp_path,
        "index.html",
        '<link rel="stylesheet" href="assets/main.css">'
        '<script src="assets/bundle.js"></script>'
        '<a href="https://fastapi.tiangolo.com/">a link is not a request</a>'
        '<link rel="canonical" href="https://example.org/">',
    )
    write(tmp_path, "assets/main.css", "body { background: url('img/bg.png'); }")

    assert consistency_site.check_site_offline(tmp_path) == []


FIX = "serve it from docs/ or drop it (the site must read offline)"


def test_a_built_site_that_loads_from_another_host_is_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "index.html",
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example.net/lib.js"></script>',
    )
    write(tmp_path, "assets/main.css", '@import "https://fonts.example.com/x.css";')

    assert consistency_site.check_site_offline(tmp_path) == [
        f"index.html loads https://fonts.googleapis.com/css?family=Roboto; {FIX}",
        f"index.html loads //cdn.example.net/lib.js; {FIX}",
        f"assets/main.css loads https://fonts.example.com/x.css; {FIX}",
    ]
