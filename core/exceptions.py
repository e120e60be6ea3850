class ConflictError(Exception):
    """The record changed state under the user (e.g. already approved by someone else).

    Pages show the message; the API answers 409 with it, and with `data` (e.g. the current
    state and step) next to it.
    """

    def __init__(self, message: str, *, data: dict | None = None):
        super().__init__(message)
        self.message = message
        self.data = data or {}
