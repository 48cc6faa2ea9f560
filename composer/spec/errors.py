"""Error codes and the one error type of the specification layer."""
from __future__ import annotations

ERROR_UNAUTHORIZED = "MSS.00000001"
ERROR_FORBIDDEN = "MSS.00000002"
ERROR_PARAMETER = "MSS.00000003"
ERROR_INTERNAL = "MSS.00000004"
ERROR_NOT_FOUND = "MSS.00000005"
ERROR_CONFLICT = "MSS.00000006"


class SpecError(ValueError):
    """A request broke a rule of the specification. `field` is the full path, `rule` says what is wrong."""

    error_code = ERROR_PARAMETER

    def __init__(self, field: str, rule: str):
        super().__init__(f"{field}: {rule}" if field else rule)
        self.field = field
        self.rule = rule

    @property
    def error_msg(self) -> str:
        return f"{self.field}: {self.rule}" if self.field else self.rule
