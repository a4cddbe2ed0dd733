"""Settings shared by every environment, one module per concern:

- ``core``: Django, Wagtail and the infrastructure (database, caches, channel layers, e-mail,
  static files, tasks, logging);
- ``auth``: authentication and django-allauth;
- ``security``: proxies, rate limits, cookies, Content-Security-Policy, Permissions-Policy;
- ``apprentice``: the demo, AI providers, leaderboard, xAPI, corpus export, benchmarks.

Works with zero environment variables: SQLite file, in-memory channel layer, local-memory cache,
console email. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis. Every variable
read here is listed in ``.env.example`` and README.md.
"""

from .apprentice import *  # noqa: F403
from .auth import *  # noqa: F403
from .core import *  # noqa: F403
from .env import env_bool, env_list  # noqa: F401 - dev.py and production.py read variables too
from .security import *  # noqa: F403
