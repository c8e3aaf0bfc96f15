"""Reading pages as a browser would: parsed HTML instead of matching markup strings.

`parse(response)` gives an lxml tree; `text(element)` its visible text with white space collapsed.
"""

import lxml.html


def parse(page):
    """An lxml element of a response, a string or bytes (a fragment of htmx gets a wrapping element)."""
    content = getattr(page, "content", page)
    if isinstance(content, bytes):
        content = content.decode()
    return lxml.html.fromstring(content.strip() or "<div></div>")


def text(element):
    return " ".join(element.text_content().split())


def by_id(page, element_id):
    found = parse(page).xpath(f'//*[@id="{element_id}"]')
    assert found, f"no element with id={element_id!r}"
    return found[0]


def select(page, xpath):
    """The elements that match an XPath expression."""
    return parse(page).xpath(xpath)
