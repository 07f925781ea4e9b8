"""The node-graph canvas: scene, view, node and edge items, and the editor that holds them."""
