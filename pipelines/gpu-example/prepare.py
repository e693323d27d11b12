"""Writes a small synthetic image-folder dataset (two classes of coloured squares) to --out.

Stands in for a real data preparation step so the example pipeline is complete; it needs only Pillow.
"""

import argparse
import os
import random

from PIL import Image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--per-class", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(42)
    for split, count in (("train", args.per_class), ("val", args.per_class // 4)):
        for label, channel in (("red", 0), ("blue", 2)):
            folder = os.path.join(args.out, split, label)
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                colour = [rng.randint(0, 80) for _ in range(3)]
                colour[channel] = rng.randint(150, 255)
                Image.new("RGB", (64, 64), tuple(colour)).save(os.path.join(folder, f"{i}.png"))
    print(f"wrote {args.per_class} train and {args.per_class // 4} val images per class to {args.out}")


if __name__ == "__main__":
    main()
