"""The ``dhr-case/1`` case file: model, reading with positions, validation, summary."""

from .dates import PartialDate, PartialDateError
from .model import FORMAT, CaseFile
from .source import UnreadableCaseFile, read_source
from .validate import (
    CaseFileInvalid,
    Problem,
    ValidationResult,
    load_case,
    validate_file,
    validate_text,
)

__all__ = [
    "FORMAT", "CaseFile", "CaseFileInvalid", "PartialDate", "PartialDateError", "Problem",
    "UnreadableCaseFile", "ValidationResult", "load_case", "read_source", "validate_file",
    "validate_text",
]
