# The portal's production image: gunicorn serving portal.wsgi, static files collected at
# build time and served by WhiteNoise. docker-compose.yml runs the same image as the web
# app, the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and HarfBuzz; Chinese PDFs need the Noto CJK fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Production in the image whatever the command (manage.py alone defaults to development).
ENV DJANGO_DEBUG=false
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
# The secret key here only lets settings load for collectstatic; it is not kept anywhere.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-time-only-collectstatic-key-not-used-at-run-time \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity=1
# The PDFs' Traditional Chinese font: Noto Sans CJK TC from fonts-noto-cjk cut down to Big5
# and the documents' characters (portal/pdf/fonts.py), into var/fonts; a few minutes.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-time-only-collectstatic-key-not-used-at-run-time \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py build_pdf_fonts

RUN useradd --system --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /app/var/media \
    && chown -R portal /app/var
USER portal

EXPOSE 8000
# Workers x threads chosen by measurement (docs/operations.md, "Gunicorn workers and
# PostgreSQL sizing"): on 2 cores with 8 concurrent clients, 3 sync workers served the
# premises API at the same 78 req/s as 2 workers x 4 threads in the same minutes, with
# the lower p95 (129 against 158 ms); 2 x 1 served 50 req/s. About 1.5 workers a core;
# override with GUNICORN_WORKERS / GUNICORN_THREADS, and keep the database's
# max_connections above workers x threads plus the Celery processes (docker-compose.yml).
ENV GUNICORN_WORKERS=3 \
    GUNICORN_THREADS=1
CMD ["sh", "-c", "exec gunicorn portal.wsgi:application --bind 0.0.0.0:8000 --workers \"$GUNICORN_WORKERS\" --threads \"$GUNICORN_THREADS\" --access-logfile - --timeout 60"]
