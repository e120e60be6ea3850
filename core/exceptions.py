class ConflictError(Exception):
    """The record changed state under the user (e.g. already approved by someone else).

    Pages show the message; the API answers 409 with it.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
