"""`nn-designer hopfield-recall`, run as a user runs it: in a subprocess, reading stdout, stderr and the exit code."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from designer import NetworkGraph, Project
from designer.data.letters import pattern
from designer.engine.hopfield import HopfieldNetwork, network_from_project, store_in_project
from designer.engine.hopfield_analysis import recall_report

EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "examples" / "hopfield_letters.nnproj"
KEYS = {"pattern_index", "noise", "flipped_bits", "overlap_before", "overlap_after", "energy_before", "energy_after",
        "energy_drop", "sweeps", "converged", "cycle", "classification"}


def run(*args):
    return subprocess.run([sys.executable, "-m", "designer", "hopfield-recall", *map(str, args)],
                          capture_output=True, text=True, timeout=60)


def one_sentence(stderr: str) -> str:
    """The error is one line, one sentence, and no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    text = lines[0]
    assert text.startswith("nn-designer: ") and text.endswith(".")
    return text


@pytest.fixture
def letters_file(tmp_path):
    graph = NetworkGraph()
    graph.add_layer("Hopfield", name="memory", shape=(10, 10), rule="hebbian")
    project = Project(graph=graph)
    store_in_project(project, HopfieldNetwork(100), np.stack([pattern(c) for c in "AJLTX"]))
    path = tmp_path / "letters.nnproj"
    project.save(path)
    return path


def test_json_report_matches_the_engine(letters_file):
    result = run(letters_file, "--pattern", 2, "--noise", 0.2, "--seed", 1, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == KEYS
    assert report["pattern_index"] == 2 and report["flipped_bits"] == 20
    assert report["overlap_before"] == pytest.approx(0.6)
    assert report["energy_drop"] == pytest.approx(report["energy_before"] - report["energy_after"])
    assert report["energy_drop"] > 0
    assert set(report["classification"]) == {"kind", "indices", "signs", "overlap"}
    network = network_from_project(Project.load(letters_file))
    assert report == json.loads(json.dumps(recall_report(network, network.patterns, 2, 0.2, 1)))


def test_same_seed_same_report_and_text_output(letters_file):
    first = run(letters_file, "--pattern", 0, "--noise", 0.3, "--seed", 5, "--json").stdout
    assert first == run(letters_file, "--pattern", 0, "--noise", 0.3, "--seed", 5, "--json").stdout
    result = run(letters_file, "--pattern", 1, "--noise", 0.1, "--seed", 1)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "10 of 100 bits flipped" in text
    assert "overlap: 0.800 -> 1.000" in text
    assert "energy:" in text and "drop" in text
    assert "sweeps:" in text and "converged" in text
    assert "final state: stored pattern 1 (overlap 1.000)" in text


def test_sync_mode_and_options(letters_file):
    result = run(letters_file, "--mode", "sync", "--seed", 2, "--max-sweeps", 5, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sweeps"] <= 5


def test_published_example_recalls_its_letters():
    report = json.loads(run(EXAMPLE, "--pattern", 0, "--noise", 0.1, "--seed", 1, "--json").stdout)
    assert report["classification"]["kind"] == "pattern" and report["classification"]["indices"] == [0]
    assert report["overlap_after"] == 1.0


def test_project_without_a_hopfield_layer(tmp_path):
    graph = NetworkGraph()
    graph.connect(graph.add_layer("Input"), graph.add_layer("Dense"))
    path = tmp_path / "mlp.nnproj"
    Project(graph=graph).save(path)
    result = run(path, "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert "0 Hopfield layers" in one_sentence(result.stderr)


def test_pattern_index_out_of_range(letters_file):
    result = run(letters_file, "--pattern", 5)
    assert result.returncode == 1 and result.stdout == ""
    assert "no pattern 5" in one_sentence(result.stderr)
    assert "stores 5" in result.stderr


def test_project_with_nothing_stored(tmp_path):
    graph = NetworkGraph()
    graph.add_layer("Hopfield", shape=(4, 4))
    path = tmp_path / "empty.nnproj"
    Project(graph=graph).save(path)
    result = run(path)
    assert result.returncode == 1
    assert "no stored patterns" in one_sentence(result.stderr)


def test_missing_and_damaged_files(tmp_path):
    result = run(tmp_path / "absent.nnproj")
    assert result.returncode == 1
    one_sentence(result.stderr)
    damaged = tmp_path / "damaged.nnproj"
    damaged.write_bytes(b"not a zip at all")
    result = run(damaged)
    assert result.returncode == 1
    one_sentence(result.stderr)


@pytest.mark.parametrize("args", [("--noise", "1.5"), ("--noise", "nan"), ("--pattern", "-1"), ("--mode", "x"),
                                  ("--temperature", "-1")])
def test_arguments_argparse_refuses(letters_file, args):
    result = run(letters_file, *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
