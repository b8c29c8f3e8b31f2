"""Reading params/*.yaml: the fiscal year of a programme, and the YAML helpers of yamlfiles.

The programme file itself is loaded and checked by `partnerbook.programme` (`programme.load`);
`load_yaml` and `check_keys` (from yamlfiles) read saved views and mapping files and name a bad key.
"""

from __future__ import annotations

from .yamlfiles import check_keys, load_yaml  # noqa: F401 - params.check_keys, params.load_yaml


def fy_start_month(program) -> int:
    """The month the programme's fiscal year starts (`program.fiscal_year_start_month`, 1-12),
    from a `programme.Programme` or a dict of the file."""
    return int(((program or {}).get("program") or {}).get("fiscal_year_start_month", 1))
