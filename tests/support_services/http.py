"""A tiny HTTP browser for concurrency tests: real requests, its own cookies, CSRF token from the page."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    def __init__(self, base_url, cookies=None):
        self.base_url = base_url.rstrip("/")
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.csrf = None
        self.url = None

    def another_tab(self):
        """A second connection of the same browser: its cookies, its form's CSRF token."""
        tab = type(self)(self.base_url, cookies=self.cookies)
        tab.csrf = self.csrf
        return tab

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=120) as response:
                status, url, html = response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            status, url, html = error.code, error.url, error.read().decode()
        self.url = url
        found = CSRF.search(html)
        if found:
            self.csrf = found.group(1)
        return status, url.removeprefix(self.base_url), html

    def get(self, path):
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path, data):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body, method="POST"))


def run_parallel(count, work):
    """Run ``work(i, barrier)`` in ``count`` threads; return the results in order, re-raising any error."""
    barrier = threading.Barrier(count, timeout=300)
    results, errors = [None] * count, []

    def target(i):
        try:
            results[i] = work(i, barrier)
        except BaseException as exc:  # reported below
            barrier.abort()
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
