# syntax=docker/dockerfile:1
#
# Stack Advisor image.
#
#   docker build -t stack-advisor .
#   docker run --rm -e DATABASE_URL=... -e SECRET_KEY=... stack-advisor flask --app advisor db upgrade
#   docker run --rm -e DATABASE_URL=... -e SECRET_KEY=... -p 8000:8000 stack-advisor
#
# Migrations are a separate, explicit command (above), never run at start-up:
# several replicas starting together must not race to migrate.

# Base images pinned to exact releases (one place for the Python one, used by both stages); a
# release build can pin further to a digest, e.g. python:3.11.7-slim-bookworm@sha256:...
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm
ARG NODE_IMAGE=node:20.18.0-bookworm-slim

############################ front-end assets ############################
FROM ${NODE_IMAGE} AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

############################ dependency wheels ###########################
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Only pyproject.toml, so this layer is rebuilt when dependencies change and
# not on every code change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && pip wheel --wheel-dir /wheels -r requirements.txt

################################ runtime ################################
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    ADVISOR_ENV=production \
    PORT=8000

RUN groupadd --system --gid 10001 advisor \
 && useradd --system --uid 10001 --gid advisor --home-dir /app --shell /usr/sbin/nologin advisor

# Dependencies only, from the wheels built above. The project itself is not
# pip-installed: it runs from /app (PYTHONPATH), because templates/, static/,
# seeds/ and migrations/ sit beside the package rather than inside it.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index /wheels/*.whl

WORKDIR /app
COPY advisor/ advisor/
COPY migrations/ migrations/
COPY templates/ templates/
COPY static/ static/
COPY seeds/ seeds/
COPY wsgi.py gunicorn.conf.py ./
COPY --from=assets /assets/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# instance/ is Flask's instance folder (the default SQLite database lives there
# when DATABASE_URL is unset); the code itself stays owned by root, read-only
# to the app.
RUN mkdir -p instance && chown advisor:advisor instance
USER advisor

EXPOSE 8000
# PORT, not ADVISOR_BIND, in the image: gunicorn.conf.py lets ADVISOR_BIND win over PORT, so setting
# it here would make a platform's own PORT ignored. The check follows whichever port is in force, and
# names the first of TRUSTED_HOSTS as its host (any other host is a 400).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; host = (os.environ.get('TRUSTED_HOSTS') or '127.0.0.1').split(',')[0].strip().lstrip('.'); u.urlopen(u.Request('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), headers={'Host': host}), timeout=4)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
