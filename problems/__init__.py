"""Problems: every benchmark problem behind one base class (problems.base)."""
