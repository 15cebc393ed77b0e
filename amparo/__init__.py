"""amparo: the care desk that still works when everything else is down."""

__version__ = "0.1.0"
