"""One-step fidelity check of our TPE against Optuna 3.1.0 (docs/benchmarks.md, sweeps section).

End-to-end trial counts are noisy (a seed's count spreads over 20-150 trials), so a small systematic difference
between two samplers needs thousands of seeds to show. This compares one step instead: Optuna 3.1.0 runs
Branin (or Hartmann6) for a few seeds and the history is recorded at several trial counts n; on each frozen
history both samplers then make many next suggestions, each with a different sampler seed, and the
distributions of the suggested values are compared per parameter (two-sample Kolmogorov-Smirnov).

    /usr/bin/python3 tests/Sweeps.Benchmarks/one_step_optuna.py record Branin OUT_DIR [DRAWS]
        writes OUT_DIR/histories.txt ("history trial x0 x1 ... value") and OUT_DIR/optuna.txt
        ("history draw x0 x1 ...", Optuna's next suggestions)
    dotnet run -c Release --project tests/Sweeps.Benchmarks -- --one-step OUT_DIR --function Branin --draws N
        writes OUT_DIR/ours.txt in the same layout
    /usr/bin/python3 tests/Sweeps.Benchmarks/one_step_optuna.py compare Branin OUT_DIR [EPSILON]
"""

import math
import os
import sys

import numpy as np
import optuna

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optuna_reference import FUNCTIONS  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)

RUN_SEEDS = range(1, 6)
CHECKPOINTS = (11, 15, 20, 30, 45, 60)
# Sampler seed of draw k is DRAW_SEED_BASE + k on both sides (the generators differ, so this only keeps reruns
# reproducible; a replication with fresh draws sets another base here and --draw-seed-base on ours).
DRAW_SEED_BASE = 1_000_000


def record(name, out, draws):
    f, _, _, bounds = FUNCTIONS[name]
    dists = {f"x{i}": optuna.distributions.FloatDistribution(lo, hi) for i, (lo, hi) in enumerate(bounds)}
    with open(os.path.join(out, "histories.txt"), "w") as hist, open(os.path.join(out, "optuna.txt"), "w") as sug:
        history_id = 0
        for seed in RUN_SEEDS:
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
            for n in range(1, max(CHECKPOINTS) + 1):
                trial = study.ask()
                x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
                study.tell(trial, f(x))
                if n not in CHECKPOINTS:
                    continue
                history_id += 1
                complete = study.get_trials(deepcopy=False)
                for t in complete:
                    xs = " ".join(repr(t.params[k]) for k in dists)
                    hist.write(f"{history_id} {t.number} {xs} {t.value!r}\n")
                # The next suggestion on this frozen history, with many sampler seeds: a fresh study holding
                # copies of the finished trials, so nothing of the draws leaks into the history.
                frozen = optuna.create_study()
                frozen.add_trials(complete)
                probe = frozen.trials[0]
                for draw in range(draws):
                    sampler = optuna.samplers.TPESampler(seed=DRAW_SEED_BASE + draw)
                    xs = [sampler.sample_independent(frozen, probe, k, d) for k, d in dists.items()]
                    sug.write(f"{history_id} {draw} " + " ".join(repr(v) for v in xs) + "\n")
                print(f"seed {seed} n {n}: history {history_id}", flush=True)


def read(path):
    rows = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            rows.setdefault(int(parts[0]), []).append([float(v) for v in parts[2:]])
    return {k: np.array(v) for k, v in rows.items()}


def ks(a, b):
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    d = np.max(np.abs(np.searchsorted(a, grid, side="right") / len(a) - np.searchsorted(b, grid, side="right") / len(b)))
    en = math.sqrt(len(a) * len(b) / (len(a) + len(b)))
    lam = (en + 0.12 + 0.11 / en) * d
    p = 2 * sum((-1) ** (j - 1) * math.exp(-2 * j * j * lam * lam) for j in range(1, 101))
    return d, min(max(p, 0.0), 1.0)


def compare(name, out, epsilon):
    f, optimum, _, bounds = FUNCTIONS[name]
    ours, theirs = read(os.path.join(out, "ours.txt")), read(os.path.join(out, "optuna.txt"))
    sizes = {k: len(v) for k, v in read(os.path.join(out, "histories.txt")).items()}
    ps = []
    print(f"history n | param: KS D, p | mean f(next): ours / optuna | P(regret <= {epsilon:g}): ours / optuna")
    for h in sorted(theirs):
        cells = []
        for i in range(len(bounds)):
            d, p = ks(ours[h][:, i], theirs[h][:, i])
            ps.append(p)
            cells.append(f"x{i}: {d:.3f}, {p:.2f}")
        fo = np.array([f(x) for x in ours[h]])
        ft = np.array([f(x) for x in theirs[h]])
        print(f"{h:2d} {sizes[h]:3d} | " + " | ".join(cells)
              + f" | {fo.mean():.3f} / {ft.mean():.3f} | {np.mean(fo - optimum <= epsilon):.3f} / {np.mean(ft - optimum <= epsilon):.3f}")
    ps = np.array(ps)
    print(f"{len(ps)} KS tests: {np.sum(ps < 0.05)} with p < 0.05 (expected {0.05 * len(ps):.1f} if the samplers agree), "
          f"{np.sum(ps < 0.01)} with p < 0.01 (expected {0.01 * len(ps):.1f}); smallest p {ps.min():.4f}")


if __name__ == "__main__":
    if sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 400)
    else:
        compare(sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0.1)
