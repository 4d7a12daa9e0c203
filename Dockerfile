# The portal's web image: gunicorn serving Django, whitenoise serving static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint renders PDFs with Pango and HarfBuzz and needs fonts; gettext compiles the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app

COPY pyproject.toml README.md ./
COPY pact_portal ./pact_portal
COPY partnerships ./partnerships
COPY commitments ./commitments
COPY support_services ./support_services
RUN pip install --no-cache-dir .

COPY . .
# The .mo catalogues are built here (git keeps only the .po sources): without them every page is English.
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv -v0 \
    && SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && mkdir -p /app/media && chown -R portal:portal /app/media

USER portal
EXPOSE 8000
# No gunicorn access log: the portal logs every request itself (pact_portal.request), with personal links'
# secrets masked; gunicorn's log would write them in full.
CMD ["gunicorn", "pact_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
