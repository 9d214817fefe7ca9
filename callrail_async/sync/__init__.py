"""Keep a database current with CallRail: a dlt source over every account, and the
``callrail-async sync`` command (``pip install 'callrail-async[dlt]'``).

The source lives in :mod:`callrail_async.sync.source` (also importable as
:mod:`callrail_async.dlt`); importing this package does not import dlt.
"""
