"""dualcirc: a trade hub for the dual-circulation economy."""

__version__ = "0.1.0"
