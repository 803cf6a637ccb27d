"""The errors an action raises; `message` is shown to the user as is, `field` names the input."""


class ActionError(Exception):
    """An action refused."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ActionError):
    status = 422


class NotPermitted(ActionError):
    status = 403


class TransitionNotAllowed(ActionError):
    status = 409
