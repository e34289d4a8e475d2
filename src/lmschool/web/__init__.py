"""The web platform: cohorts, instructors and learners in a browser (docs/web.md).

``create_app(settings)`` builds the FastAPI application; ``lmschool serve`` runs it with
Uvicorn. The web layer owns no learning logic: it calls ``lmschool.learning``, the
grader, the planner and the store, exactly as the terminal does.
"""

from lmschool.web.app import create_app

__all__ = ["create_app"]
