"""Optuna 3.1 reference for the sweeps benchmark (docs/benchmarks.md, sweeps section).

Runs Optuna's default TPESampler with the same protocol as `dotnet run --project tests/Sweeps.Benchmarks`:
each seed minimises the function from scratch one trial at a time, and a seed's figure is the 1-based
trial at which best-so-far regret first reached each threshold. Needs Debian's python3-optuna (3.1.0):

    apt-get install -y python3-optuna
    /usr/bin/python3 tests/Sweeps.Benchmarks/optuna_reference.py Hartmann6 1 30 200

Arguments: function (Branin | Hartmann6), first seed, last seed, trial cap, and optionally a
comma-separated list of thresholds (default: the function's full list). Giving only the threshold of
interest (e.g. 0.1) lets each seed stop as soon as it is reached, which makes many-seed runs cheap:

    /usr/bin/python3 tests/Sweeps.Benchmarks/optuna_reference.py Branin 1 300 200 0.1
"""

import math
import sys

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)

HARTMANN6_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                        [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
HARTMANN6_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                               [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(x):
    x = np.asarray(x)
    return -float(np.sum(HARTMANN_ALPHA * np.exp(-np.sum(HARTMANN6_A * (x - HARTMANN6_P) ** 2, axis=1))))


def branin(x):
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


FUNCTIONS = {
    "Branin": (branin, 0.397887, [1.0, 0.1, 0.01], [(-5, 10), (0, 15)]),
    "Hartmann6": (hartmann6, -3.32237, [0.5, 0.1], [(0, 1)] * 6),
}


def main():
    name, first, last, cap = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    f, optimum, thresholds, bounds = FUNCTIONS[name]
    if len(sys.argv) > 5:
        thresholds = [float(t) for t in sys.argv[5].split(",")]
    results = []
    for seed in range(first, last + 1):
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        hits, best = [None] * len(thresholds), math.inf
        for trial_number in range(1, cap + 1):
            trial = study.ask()
            x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
            value = f(x)
            study.tell(trial, value)
            best = min(best, value)
            for i, eps in enumerate(thresholds):
                if hits[i] is None and best - optimum <= eps:
                    hits[i] = trial_number
            if all(h is not None for h in hits):
                break
        results.append(hits)
        print(seed, hits, flush=True)
    for i, eps in enumerate(thresholds):
        ordered = sorted(h[i] if h[i] is not None else math.inf for h in results)
        n = len(ordered)
        median = 0.5 * (ordered[(n - 1) // 2] + ordered[n // 2])
        share = sum(h[i] is not None for h in results) / n
        shown = f">{cap}" if math.isinf(median) else f"{median:g}"
        print(f"| {name}, {eps:g} | {shown} [{share:.0%}] |")


if __name__ == "__main__":
    main()
