"""The live training panels, all pyqtgraph: curves, weights, gradients and more. They only draw snapshots."""
