"""One scan's transaction, as the scan path names it. The code lives in ``checkin.store.scan_tx``
(storage imports nothing above it, and ``Database.scan_write`` opens these transactions)."""

from checkin.store.scan_tx import (
    CoreTx,
    Params,
    Pending,
    PipelineTx,
    ScanTx,
    SqliteTx,
    enter_pipeline,
    first,
    leave_pipeline,
)

__all__ = [
    "CoreTx",
    "Params",
    "Pending",
    "PipelineTx",
    "ScanTx",
    "SqliteTx",
    "enter_pipeline",
    "first",
    "leave_pipeline",
]
