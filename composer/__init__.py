"""Composer: a self-hostable studio for talking-avatar videos.

Nothing is imported here: `composer.render` and `composer.spec` must load without Django or Celery. Django
processes load the Celery app from the jobs app (composer/jobs/apps.py); workers name it, `celery -A
composer.celery worker`."""
