"""One exception tree, every message naming the input it is about.

    KGBuilderError
     ├── SourceError        an input cannot be read (missing, empty, malformed line, bad encoding)
     ├── ExtractionError    the language layer failed on an article (model missing, crash)
     ├── ValidationError    a graph does not conform to the shapes (raised under --strict)
     ├── StoreError         the embedded store cannot be opened or written
     ├── QueryError         a SPARQL query is malformed or unknown
     └── PushError          a remote triple store is down, refuses, or answers an error
"""
from __future__ import annotations


class KGBuilderError(Exception):
    """Base of every error kg_builder raises on purpose."""


class SourceError(KGBuilderError):
    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")

    def __reduce__(self):  # travels between worker processes whole
        return (type(self), (self.source, self.problem))


class ExtractionError(KGBuilderError):
    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")

    def __reduce__(self):  # travels between worker processes whole
        return (type(self), (self.source, self.problem))


class ValidationError(KGBuilderError):
    pass


class StoreError(KGBuilderError):
    pass


class QueryError(KGBuilderError):
    pass


class PushError(KGBuilderError):
    pass
