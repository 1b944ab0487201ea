"""Background jobs: a consultation's jobs page, background exports and imports. The matrix
has no job 1, so those who may open a job's page get 404 for it."""
from tests.permission_rows.roles import MANAGERS, SIGNED_OUT, staff


def planners(ok: int):
    """Who reads the planner report (planners and admins, site admins); other staff 403."""
    def expect(role, state):
        if role in SIGNED_OUT or role == "host_other":
            return staff(ok)(role, state)
        return ok if role in {"planner", "site_admin"} else 403
    return expect


def managers(ok: int):
    """Who manages the consultation (its hosts, site admins); other staff 403."""
    def expect(role, state):
        if role in SIGNED_OUT or role == "host_other":
            return staff(ok)(role, state)
        return ok if role in MANAGERS else 403
    return expect


ROUTES = [
    ("/manage/consultations/<slug>/jobs", "GET", "/manage/consultations/{slug}/jobs",
     staff(200)),
    # Asking for an export queues it (it runs at once in the tests) and goes to its page.
    ("/manage/consultations/<slug>/report/export", "POST",
     "/manage/consultations/{slug}/report/export", planners(303)),
    ("/manage/consultations/<slug>/report/exports/<int:job_id>", "GET",
     "/manage/consultations/{slug}/report/exports/1", planners(404)),
    ("/manage/consultations/<slug>/report/exports/<int:job_id>/file", "GET",
     "/manage/consultations/{slug}/report/exports/1/file", planners(404)),
    ("/manage/consultations/<slug>/survey/import/jobs/<int:job_id>", "GET",
     "/manage/consultations/{slug}/survey/import/jobs/1", managers(404)),
    ("/manage/consultations/<slug>/survey/paper/jobs/<int:job_id>", "GET",
     "/manage/consultations/{slug}/survey/paper/jobs/1", managers(404)),
]
