class ImportRefused(Exception):
    """The file cannot be read as a plan; `message` says why and what to do, in Vietnamese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
