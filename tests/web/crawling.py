"""Walking the site as a logged-in user: every answer reached by following redirects and links, for the tests
that check every page a role can reach (headers, BSN, access)."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def walk(client, start_urls, *, limit: int = 1000) -> dict[str, object]:
    """{url: response} for every answer reached by following redirects and links on this site from `start_urls`,
    for the logged-in client, downloads included. Query strings are dropped (they only filter or sort the same
    lists); static files, logging out and PDFs (seconds each, answered by the same middleware as the HTML) are left
    alone."""
    responses = {}
    queue, seen = list(start_urls), set(start_urls)
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        responses[url] = response
        if response.status_code in (301, 302, 303):
            targets = [response["Location"]]
        elif response.status_code == 200 and is_page(response):
            parser = _LinkParser()
            parser.feed(response.content.decode())
            targets = parser.links
        else:
            targets = []
        for href in targets:
            target = urlsplit(urljoin(url, href))
            if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
                continue
            path = target.path
            if path in seen or path.startswith(SKIPPED_PATHS) or path.endswith(".pdf"):
                continue
            seen.add(path)
            queue.append(path)
        assert len(seen) < limit, "the walk does not end"
    return responses


SKIPPED_PATHS = ("/static/", "/uitloggen/", "/beheer/logout/", "/beheer/jsi18n/")


def is_page(response) -> bool:
    """An HTML page the browser shows (a download with Content-Disposition is saved, not shown)."""
    return "text/html" in response.get("Content-Type", "") and "Content-Disposition" not in response


def crawl(client, start_urls, *, limit: int = 1000) -> dict[str, str]:
    """{url: html} of every page `walk` reaches that comes back 200."""
    return {url: response.content.decode() for url, response in walk(client, start_urls, limit=limit).items()
            if response.status_code == 200 and is_page(response)}
