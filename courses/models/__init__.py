"""Models of the courses app: the Skill snippet, the learning pages, and learning records."""

from courses.models.learning import (
    Assignment,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    ReflectionAnswer,
)
from courses.models.pages import LessonPage, SkillIndexPage, SkillModulePage
from courses.models.skill import Skill

__all__ = [
    "Assignment",
    "LessonPage",
    "LessonProgress",
    "ModuleCompletion",
    "QuizAttempt",
    "ReflectionAnswer",
    "Skill",
    "SkillIndexPage",
    "SkillModulePage",
]
