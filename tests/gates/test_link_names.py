"""A screen reader's list of links shows each link by its name alone: on a list of papers, "arXiv" forty times
over, each to another paper, says nothing of where each goes. Every link name on the list pages must lead to one
address (WCAG 2.4.4 asks it only in context; the site's own Abstract toggles and "+N more" links already name
their paper, and the links under a card now do too)."""

from __future__ import annotations

import pytest

from .browser import AXE_JS

pytestmark = pytest.mark.gates

# Each link's accessible name as axe computes it (the name a screen reader's link list shows), with its address.
_NAMED_LINKS = """() => {
  axe.setup(document);
  try {
    return [...document.querySelectorAll('a[href]')]
      .filter((a) => a.checkVisibility())  // not in a closed abstract nor anything hidden
      .map((a) => [axe.commons.text.accessibleText(a).replace(/\\s+/g, ' ').trim(), a.href]);
  } finally {
    axe.teardown();
  }
}"""

LIST_PAGES = ["", "publications/", "categories/cs.cl/"]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_a_link_name_on_a_list_page_leads_to_one_address(browser, served_sites, path: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served_sites["root"] + path, wait_until="load")
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        addresses: dict[str, set[str]] = {}
        for name, href in page.evaluate(_NAMED_LINKS):
            addresses.setdefault(name, set()).add(href)
    finally:
        context.close()
    ambiguous = {name: len(hrefs) for name, hrefs in addresses.items() if len(hrefs) > 1}
    assert not ambiguous, f"link names that lead to several addresses on /{path}: {ambiguous}"
