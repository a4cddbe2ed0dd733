"""Local development: DEBUG on, console e-mail, optional e-mail verification."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
