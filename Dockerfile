# The o2c image: one image for every role of a production deployment.
#   o2c api          HTTP API and web pages (the default command)
#   o2c worker       Temporal worker with every workflow and activity
#   o2c db upgrade   one-shot schema migration
# docker-compose.yml wires them to PostgreSQL, a Temporal cluster and an SMTP server.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (invoice PDFs) needs Pango/HarfBuzz (harfbuzz-subset makes embedding fonts fast);
# DejaVu sets Latin text; the CJK font ships with the Python package.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The dependencies exactly as locked (versions and hashes), then the package itself from a
# scratch copy of the sources, keeping only what is installed.
COPY requirements.lock /src/
RUN pip install --require-hashes -r /src/requirements.lock
COPY pyproject.toml /src/
COPY o2c /src/o2c
COPY workflows /src/workflows
COPY activities /src/activities
COPY api /src/api
COPY models /src/models
COPY notifications /src/notifications
COPY migrations /src/migrations
RUN pip install --no-deps /src \
    && rm -rf /src

# Run unprivileged; O2C_DATA_DIR (var/ under /app) is the only place the processes write.
RUN useradd --system --create-home --home-dir /home/o2c --uid 10001 o2c \
    && mkdir -p /app/var \
    && chown o2c /app/var
USER o2c
WORKDIR /app

EXPOSE 8000
ENV O2C_API_HOST=0.0.0.0

CMD ["o2c", "api"]
