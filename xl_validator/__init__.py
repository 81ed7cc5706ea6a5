"""xl_validator: find and fix errors in the SSDA903 return, in Excel or from Python."""
from .api import validate
from .read import InputError
from .rules.local import local_rule

__version__ = "0.1.0"
__all__ = ["validate", "local_rule", "InputError", "__version__"]
