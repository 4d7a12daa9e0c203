"""Security headers on every response (the production defaults and the deploy check: test_security_findings.py)."""

import pytest


@pytest.mark.parametrize(
    "path", ["/", "/partnerships/", "/healthz", "/admin/login/", "/expression-of-interest/", "/nope/"]
)
@pytest.mark.django_db
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
