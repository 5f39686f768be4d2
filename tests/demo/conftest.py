from ..crime.conftest import police_reference

__all__ = ["police_reference"]
