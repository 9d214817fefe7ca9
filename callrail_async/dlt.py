"""The CallRail dlt source (``pip install 'callrail-async[dlt]'``)::

import dlt
from callrail_async.dlt import callrail_source

pipeline = dlt.pipeline("callrail", destination="duckdb", dataset_name="callrail")
pipeline.run(callrail_source(accounts="all"))
"""

from .sync.command import load
from .sync.source import DEFAULT_RESOURCES, RESOURCES, callrail_source

__all__ = ["DEFAULT_RESOURCES", "RESOURCES", "callrail_source", "load"]
