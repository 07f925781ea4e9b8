"""How fast the NumPy engine trains, against PyTorch on the CPU.

Trains two networks for one epoch on the same synthetic MNIST-shaped data
(float32 images 1 x 28 x 28 with random labels 0-9, seeded), once with
designer.engine.Trainer and once with a plain PyTorch loop (the same layers,
nn.CrossEntropyLoss, torch.optim.SGD; each shuffles in its own order):

- MLP 784-128-256-10 (ReLU), SGD lr 0.1, batch 256;
- LeNet-5: Conv2D 6 5x5 padding 2, MaxPool 2, Conv2D 16 5x5, MaxPool 2,
  Dense 120, Dense 84, Dense 10 (ReLU), SGD lr 0.01, batch 64.

Each is warmed up once, then timed three times (a fresh model each time);
the medians, their spread ((slowest - fastest) / median) and the ratio
ours / PyTorch are printed, with the threads each library uses. Other work on
the machine inflates both, PyTorch's two OpenMP threads most: when a spread
is large, measure again on a quiet machine. Needs the `torch` extra
(`pip install -e .[torch]`); threadpoolctl, if installed, names numpy's BLAS
and its threads.

    python benchmarks/engine_speed.py [--samples 10000] [--runs 3]

These machines may set OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which pick
OpenBLAS's kernels and blocking and can slow numpy's matrix multiplies (and so
the engine) noticeably. Leave them as they are in tests and CI; to see what
they cost, measure once more with both unset:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/engine_speed.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Callable

import numpy as np

from designer import NetworkGraph, compile_graph
from designer.engine import Trainer

CLASSES = 10


def mlp_graph() -> NetworkGraph:
    return chain((784,), [
        ("Dense", dict(units=128, activation="relu")),
        ("Dense", dict(units=256, activation="relu")),
        ("Dense", dict(units=CLASSES, activation="softmax")),
    ])


def lenet_graph() -> NetworkGraph:
    return chain((1, 28, 28), [
        ("Conv2D", dict(filters=6, kernel_size=5, padding=2, activation="relu")),
        ("MaxPool2D", dict(pool_size=2)),
        ("Conv2D", dict(filters=16, kernel_size=5, activation="relu")),
        ("MaxPool2D", dict(pool_size=2)),
        ("Flatten", {}),
        ("Dense", dict(units=120, activation="relu")),
        ("Dense", dict(units=84, activation="relu")),
        ("Dense", dict(units=CLASSES, activation="softmax")),
    ])


def chain(input_shape: tuple[int, ...], layers: list[tuple[str, dict]]) -> NetworkGraph:
    g = NetworkGraph()
    previous = g.add_layer("Input", shape=input_shape)
    for kind, params in layers:
        node = g.add_layer(kind, **params)
        g.connect(previous, node)
        previous = node
    return g


def torch_mlp(nn):
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, CLASSES))


def torch_lenet(nn):
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, CLASSES),
    )


def ours(graph: NetworkGraph, X: np.ndarray, y: np.ndarray, lr: float, batch: int) -> Callable[[], float]:
    """A run: compile a fresh model, then time one epoch of Trainer.fit."""
    def run() -> float:
        trainer = Trainer(compile_graph(graph, seed=0), loss="cross_entropy", optimizer="sgd", lr=lr,
                          batch_size=batch, seed=0)
        begin = time.perf_counter()
        trainer.fit(X, y, epochs=1)
        return time.perf_counter() - begin
    return run


def pytorch(torch, make, X: np.ndarray, y: np.ndarray, lr: float, batch: int) -> Callable[[], float]:
    """A run: build a fresh model, then time one epoch of the usual loop (keeping loss and accuracy, as Trainer does)."""
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    generator = torch.Generator().manual_seed(0)

    def run() -> float:
        model = make(torch.nn)
        loss_fn = torch.nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        begin = time.perf_counter()
        order = torch.randperm(len(X), generator=generator)
        total_loss, correct = 0.0, 0
        for start in range(0, len(X), batch):
            index = order[start:start + batch]
            xb, yb = X[index], y[index]
            logits = model(xb)
            loss = loss_fn(logits, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(index)
            correct += int((logits.argmax(1) == yb).sum())
        return time.perf_counter() - begin
    return run


def median_time(run: Callable[[], float], repeats: int) -> tuple[float, float]:
    """Warm up once, then the median of `repeats` timed runs and their spread, relative to it.

    One library's runs go together: after a matrix multiply, OpenBLAS's and
    OpenMP's worker threads keep spinning for a moment, and on a small machine
    they would slow the other library's run if the two took turns.
    """
    run()
    times = [run() for _ in range(repeats)]
    median = statistics.median(times)
    return median, (max(times) - min(times)) / median


def threads(torch) -> str:
    lines = [f"numpy {np.__version__}, torch {torch.__version__}: {torch.get_num_threads()} threads "
             f"({torch.get_num_interop_threads()} inter-op)"]
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        lines.append("numpy BLAS: threadpoolctl not installed")
    else:
        for pool in threadpool_info():  # numpy's BLAS (torch's MKL is linked statically and not listed)
            if pool["user_api"] == "blas":
                lines.append(f"BLAS {pool['internal_api']} {pool['version']} ({os.path.basename(pool['filepath'])}): "
                             f"{pool['num_threads']} threads, kernels for {pool.get('architecture')}")
    settings = ", ".join(f"{k}={os.environ[k]}" if k in os.environ else f"{k} unset"
                         for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"))
    lines.append(f"environment: {settings}; {os.cpu_count()} CPUs")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000, help="training samples (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per library, after one warm-up")
    args = parser.parse_args()
    import torch

    rng = np.random.default_rng(0)
    images = rng.random((args.samples, 1, 28, 28), dtype=np.float32)
    labels = rng.integers(0, CLASSES, args.samples)
    flat = images.reshape(args.samples, -1)

    print(threads(torch))
    print(f"one epoch of {args.samples} samples, median of {args.runs} runs after a warm-up")
    print(f"{'network':<8} {'batch':>5} {'ours s':>8} {'spread':>6} {'torch s':>8} {'spread':>6} {'ours/torch':>10}")
    for name, graph, make, X, lr, batch in (
        ("MLP", mlp_graph(), torch_mlp, flat, 0.1, 256),
        ("LeNet-5", lenet_graph(), torch_lenet, images, 0.01, 64),
    ):
        mine, my_spread = median_time(ours(graph, X, labels, lr, batch), args.runs)
        theirs, their_spread = median_time(pytorch(torch, make, X, labels, lr, batch), args.runs)
        print(f"{name:<8} {batch:>5} {mine:>8.3f} {my_spread:>6.0%} {theirs:>8.3f} {their_spread:>6.0%} "
              f"{mine / theirs:>10.2f}")


if __name__ == "__main__":
    main()
