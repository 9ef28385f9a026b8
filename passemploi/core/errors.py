"""Domain errors raised by services: a stable machine code and a French message."""


class ServiceError(Exception):
    """Bad input or a refused operation. Pages show `message`; the API answers `code`."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        status: int | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        self.retry_after = retry_after

    def fields(self) -> dict[str, list[str]]:
        return {self.field: [self.message]} if self.field else {}
