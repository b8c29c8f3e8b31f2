"""partnerbook: a Jupyter reporting workbook for a partner channel.

The public API the notebooks call is re-exported here as modules land.
"""

import sys

__version__ = "0.1.0"

# Speed: nbformat imports jsonschema, which imports rfc3987_syntax when it is installed (it
# comes with the Jupyter stack) to check "iri" formats — no schema we validate uses them —
# and that import compiles 38 lark grammars: 1.2 s of CPU in every process that reads a
# notebook (the runner, each pool worker, each Dask worker), a tenth of an incremental run.
# Marked absent before anything imports jsonschema, so jsonschema skips it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
