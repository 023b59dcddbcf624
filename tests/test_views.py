"""Paper text on the site: relative addresses are site paths under the base path, wherever the text is shown."""

from __future__ import annotations

import pytest

from paperfolio.urls import Urls
from paperfolio.views import rebase

PROJECT = Urls("https://ada.github.io/portfolio/")


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<img alt="f" src="/assets/fig.png">', '<img alt="f" src="/portfolio/assets/fig.png">'),
        ('<img alt="f" src="assets/fig.png">', '<img alt="f" src="/portfolio/assets/fig.png">'),
        ('<a href="/papers/other/">o</a>', '<a href="/portfolio/papers/other/">o</a>'),
        ('<a href="https://arxiv.org/abs/1">a</a>', '<a href="https://arxiv.org/abs/1">a</a>'),
        ('<a href="mailto:ada@example.org">m</a>', '<a href="mailto:ada@example.org">m</a>'),
        ('<a href="#results">r</a>', '<a href="#results">r</a>'),
        ('<p>a src="x" written as text</p>', '<p>a src="x" written as text</p>'),
        ('<a title="a > b" href="x/">t</a>', '<a title="a > b" href="/portfolio/x/">t</a>'),
        ('<a title="src=&quot;y&quot;" href="x/">t</a>', '<a title="src=&quot;y&quot;" href="/portfolio/x/">t</a>'),
    ],
)
def test_relative_addresses_are_site_paths_under_the_base_path(fragment, expected):
    assert rebase(fragment, PROJECT) == expected


def test_at_the_domain_root_a_relative_address_still_works_on_every_page():
    assert rebase('<img alt="f" src="assets/fig.png">', Urls("/")) == '<img alt="f" src="/assets/fig.png">'
