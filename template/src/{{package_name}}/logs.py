"""Logging of the service's own loggers, configured once: one greppable `key=value` line per record."""

import logging

SERVICE_LOGGER = __name__.rpartition(".")[0]
FORMAT = "time=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
HANDLER_NAME = "service"


def configure_logging(level: str) -> logging.Logger:
    """Set the service's log level and, the first time only, send its records to stderr."""
    logger = logging.getLogger(SERVICE_LOGGER)
    logger.setLevel(level.upper())
    if not any(handler.name == HANDLER_NAME for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.set_name(HANDLER_NAME)
        handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT))
        logger.addHandler(handler)
    return logger
