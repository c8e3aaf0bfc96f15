# Production image: web (gunicorn), worker, beat and the one-shot `migrate` service share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      fonts-liberation2 gettext poppler-utils postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# The app runs as `pci`, which owns only what it writes: var/ (media, mail, cache, broker files, backups).
# The code and the collected static files stay root's, read-only to the app.
RUN useradd --create-home --uid 1000 pci \
 && mkdir -p /app/var/media /app/var/mail /app/var/cache /app/var/broker /app/var/backups \
 && chown -R pci:pci /app/var
# Static files collected as production serves them: DEBUG off, so the manifest (hashed names) is written.
# A throw-away key: settings refuse to load without one; it signs nothing.
ENV STATIC_ROOT=/app/staticfiles
RUN DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
      python manage.py collectstatic --noinput \
 && test -f /app/staticfiles/staticfiles.json
USER pci
EXPOSE 8000
# Health checks are per service in docker-compose.yml (web: /healthz; worker: celery inspect ping).
CMD ["gunicorn", "pci_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
