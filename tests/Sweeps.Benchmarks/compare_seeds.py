"""Compares per-seed trials-to-threshold of our TPE with Optuna 3.1's (docs/benchmarks.md, sweeps section).

Inputs are what the two harnesses already write:
  * ours: the CSV of `dotnet run -c Release --project tests/Sweeps.Benchmarks -- ... --per-seed-csv FILE`
    (sampler,function,epsilon,seed,trials; trials empty when the cap was hit);
  * Optuna: the stdout of `optuna_reference.py` ("seed [hit, ...]" lines, one per seed, then a table row),
    run with a single threshold so each line has one hit.

    /usr/bin/python3 tests/Sweeps.Benchmarks/compare_seeds.py OURS.csv OPTUNA.txt TARGET [CAP]

Prints, for each side: seeds, median with a bootstrap 90 % interval, mean, the share of seeds within the cap,
and the share of consecutive 30-seed windows (1-30, 31-60, ...) whose median is <= TARGET; then the
bootstrap interval of the difference of medians and a two-sided Mann-Whitney test (normal approximation
with tie correction). Seeds that missed the cap count as cap + 1: every statistic here is rank-based or a
median, so the exact stand-in value does not matter as long as it sorts last.

Only numpy is needed (Debian's python3-numpy); the bootstrap uses a fixed seed so reruns print the same.
"""

import csv
import math
import re
import sys

import numpy as np

WINDOW = 30
BOOTSTRAP = 10000


def read_ours(path, cap):
    by_seed = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            by_seed[int(row["seed"])] = int(row["trials"]) if row["trials"] else cap + 1
    return by_seed


def read_optuna(path, cap):
    by_seed = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(\d+) \[(.*)\]$", line.strip())
            if m:
                hit = m.group(2).split(",")[0].strip()
                by_seed[int(m.group(1))] = cap + 1 if hit == "None" else int(hit)
    return by_seed


def bootstrap_interval(samples, statistic, rng, level=0.90):
    draws = [statistic(rng.choice(samples, size=len(samples), replace=True)) for _ in range(BOOTSTRAP)]
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return lo, hi


def window_medians(by_seed):
    seeds = sorted(by_seed)
    medians = []
    for start in range(0, len(seeds) - WINDOW + 1, WINDOW):
        window = seeds[start:start + WINDOW]
        # Windows are only meaningful over consecutive seeds, as the published tables use them.
        if window[-1] - window[0] == WINDOW - 1:
            medians.append(float(np.median([by_seed[s] for s in window])))
    return medians


def mann_whitney(a, b):
    pooled = np.concatenate([a, b])
    order = pooled.argsort(kind="stable")
    ranks = np.empty(len(pooled))
    sorted_values = pooled[order]
    i = 0
    tie_term = 0.0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        ranks[order[i:j + 1]] = 0.5 * (i + j) + 1
        t = j - i + 1
        tie_term += t**3 - t
        i = j + 1
    n1, n2 = len(a), len(b)
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)))
    z = (u - n1 * n2 / 2) / math.sqrt(variance)
    p = math.erfc(abs(z) / math.sqrt(2))
    # Probability that a random seed of `a` needs more trials than one of `b` (ties count half).
    return u, z, p, u / (n1 * n2)


def describe(name, by_seed, target, cap, rng):
    values = np.array([by_seed[s] for s in sorted(by_seed)], dtype=float)
    lo, hi = bootstrap_interval(values, np.median, rng)
    windows = window_medians(by_seed)
    met = sum(m <= target for m in windows)
    reached = np.mean(values <= cap)
    print(f"{name}: seeds {len(values)} ({min(by_seed)}-{max(by_seed)}), median {np.median(values):g} "
          f"[90% {lo:g}-{hi:g}], mean {values.mean():.1f}, reached {reached:.0%}, "
          f"seeds within {target:g}: {np.mean(values <= target):.0%}, "
          f"30-seed windows with median <= {target:g}: {met}/{len(windows)} ({met / max(len(windows), 1):.0%}), "
          + (f"window medians {min(windows):g}-{max(windows):g}" if windows else "no full window"))
    return values


def main():
    ours_path, optuna_path, target = sys.argv[1], sys.argv[2], float(sys.argv[3])
    cap = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    rng = np.random.default_rng(12345)
    ours = describe("ours  ", read_ours(ours_path, cap), target, cap, rng)
    optuna = describe("optuna", read_optuna(optuna_path, cap), target, cap, rng)

    diffs = [np.median(rng.choice(ours, len(ours))) - np.median(rng.choice(optuna, len(optuna)))
             for _ in range(BOOTSTRAP)]
    lo, hi = np.quantile(diffs, [0.05, 0.95])
    _, z, p, prob = mann_whitney(ours, optuna)
    print(f"median difference (ours - optuna) {np.median(ours) - np.median(optuna):g} [90% {lo:g} to {hi:g}]; "
          f"Mann-Whitney z = {z:.2f}, two-sided p = {p:.2f}; P(ours needs more trials) = {prob:.3f}")


if __name__ == "__main__":
    main()
