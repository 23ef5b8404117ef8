"""Problems: every benchmark problem behind one base class (problems.base)."""

from problems import tasks  # noqa: F401,E402  (registers the real learning-curve tasks)
