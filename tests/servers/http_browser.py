"""A browser, or a script, talking HTTP to a served app: it keeps its session cookie and
can sign in through the form as the tests' curator."""

import http.client
import re
from urllib.parse import urlencode

from tests.conftest import CURATOR_EMAIL

WRONG = "not the password"


class Browser:
    """One browser (or script) against a served app: it keeps its session cookie, sends
    its own headers, and opens a new connection for each request, so that either worker
    may answer."""

    def __init__(self, server, **headers: str) -> None:
        self.server = server
        self.headers = headers
        self.cookie: str | None = None
        self.token: str | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        headers = dict(self.headers)
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.text = response.read().decode()
        finally:
            connection.close()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";")[0]
        return response

    def sign_in(self, password: str = WRONG) -> int:
        if self.token is None:
            page = self.request("GET", "/login").text
            self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        form = {"csrf_token": self.token, "email": CURATOR_EMAIL, "password": password}
        response = self.request("POST", "/login", form)
        if response.status == 303:
            self.token = None  # a new session, and with it a new token
        return response.status
