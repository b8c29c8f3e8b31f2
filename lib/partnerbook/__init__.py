"""partnerbook: a Jupyter reporting workbook for a partner channel.

The public API the notebooks call is re-exported here as modules land.
"""
__version__ = "0.1.0"
