"""VRN Platform: the data side of a Violence Reduction Network."""

__version__ = "0.1.0"
