"""Summaries and cost accounting of designed networks. No Qt."""

from .memory import BYTES_PER_VALUE, OPTIMIZER_SLOTS, format_bytes, training_bytes
from .live_summary import LiveSummary, RowChanges
from .summary import LayerRow, Summary, layer_row, summary

__all__ = ["BYTES_PER_VALUE", "OPTIMIZER_SLOTS", "format_bytes", "training_bytes", "LayerRow", "Summary", "layer_row", "summary",
           "LiveSummary", "RowChanges"]
