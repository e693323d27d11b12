"""Reports the trained model's metrics (reads metrics.json written by train.py)."""

import argparse
import json
import os


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()
    with open(os.path.join(args.model, "metrics.json"), encoding="utf-8") as f:
        metrics = json.load(f)
    print(f"model at {args.model}: accuracy {metrics['accuracy']:.4f}")


if __name__ == "__main__":
    main()
