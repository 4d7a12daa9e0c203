"""docker-compose.yml and deploy/nginx.conf, read as files: Docker does not run on the development and CI
machines, so what `docker compose up --scale web=N` relies on is checked here."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def nginx():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())  # without comments


def test_the_services_are_proxy_web_migrate_db_and_redis():
    services = compose()["services"]
    assert set(services) == {"proxy", "web", "migrate", "db", "redis"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["proxy"]["image"].startswith("nginx:")


def test_web_can_be_scaled_it_publishes_no_host_port_and_never_migrates():
    web = compose()["services"]["web"]
    assert "ports" not in web and "container_name" not in web
    assert web["expose"] == ["8000"]
    assert "gunicorn pact_portal.wsgi:application --bind 0.0.0.0:8000" in web["command"]
    assert "migrate" not in web["command"]
    assert web["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_migrate_runs_once_with_the_same_environment_as_web():
    services = compose()["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert services["migrate"]["environment"] == services["web"]["environment"]
    environment = services["web"]["environment"]
    assert environment["DATABASE_URL"].endswith("@db:5432/pact_portal")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["CLIENT_IP_HEADER"] == "HTTP_X_REAL_IP"  # set by the proxy, see below


def test_the_proxy_is_the_only_published_port_and_uses_the_config_file():
    proxy = compose()["services"]["proxy"]
    assert proxy["ports"] == ["127.0.0.1:8000:8000"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"] == {"condition": "service_healthy"}


def test_nginx_balances_over_the_web_replicas_through_dockers_resolver():
    config = nginx()
    assert re.search(r"resolver 127\.0\.0\.11 valid=\d+s", config)
    assert "set $pact_web http://web:8000;" in config
    assert config.count("proxy_pass $pact_web;") == 2  # / and /static/
    assert "listen 8000;" in config


def test_nginx_passes_the_client_address_scheme_and_request_id():
    config = nginx()
    assert "proxy_set_header X-Real-IP $remote_addr;" in config
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    assert "proxy_set_header X-Request-ID $pact_request_id;" in config
    assert "proxy_set_header Host $host;" in config
    # Django trusts X-Forwarded-Proto only when told it is behind an HTTPS proxy, and never X-Forwarded-Host.
    assert not getattr(settings, "USE_X_FORWARDED_HOST", False)


def test_the_body_size_limit_fits_the_largest_upload():
    size = re.search(r"client_max_body_size (\d+)m;", nginx())
    limit = int(size.group(1)) * 1024 * 1024
    assert (
        settings.DECLARATION_SCAN_MAX_BYTES < limit <= settings.DECLARATION_SCAN_MAX_BYTES + 2 * 1024 * 1024
    )
    assert limit > settings.EOI_MAX_REQUEST_BYTES
    # Every upload the portal accepts gets through the proxy, so a refusal is the portal's own message.
    assert settings.RESOURCE_UPLOAD_MAX_BYTES < limit <= settings.MAX_REQUEST_BYTES
