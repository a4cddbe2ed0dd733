"""Background tasks of the challenges app (Django's task framework, the django-tasks backport)."""

from django_tasks import task


@task()
def weeks_close_task() -> int:
    """Finalise every challenge week that has ended; returns how many this run finalised.

    Queued by ``week_save`` to run when a week ends (``run_after`` on a backend that can defer,
    such as the database backend in production). ``manage.py weeks_close`` from cron is the
    safety net for a worker that was down at the time. Idempotent, like the command.
    """
    from challenges.services.weeks import weeks_close

    return len(weeks_close())
