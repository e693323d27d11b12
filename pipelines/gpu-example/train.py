"""Fine-tunes a small CNN on an image folder dataset and writes the model to the outputs directory.

Contract with the platform (docs/azure-batch.md, "What a step image must do"):
  * inputs are already downloaded: --data is $SERVERLESS_INPUTS/dataset;
  * everything under $SERVERLESS_OUTPUTS (--out is $SERVERLESS_OUTPUTS/model) is uploaded only when we exit 0;
  * stdout/stderr are the step's logs; MLFLOW_TRACKING_URI / MLFLOW_RUN_ID name the tracking run;
  * the task may be rerun from scratch after a Spot preemption, so a checkpoint in --out is resumed.
"""

import argparse
import json
import os
import sys
import time

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="image folder dataset with train/ and val/")
    parser.add_argument("--out", required=True, help="directory the model and metrics go to")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch-size", type=int, default=64)
    return parser.parse_args()


def tracking():
    """MLflow when the platform provided a tracking run, else a stand-in that prints."""
    if os.environ.get("MLFLOW_TRACKING_URI") and os.environ.get("MLFLOW_RUN_ID"):
        import mlflow

        mlflow.start_run(run_id=os.environ["MLFLOW_RUN_ID"])
        return mlflow

    class Printer:
        @staticmethod
        def log_metric(key, value, step=None):
            print(f"metric {key}={value} step={step}", flush=True)

        @staticmethod
        def log_params(params):
            print(f"params {params}", flush=True)

    return Printer()


def loaders(data: str, batch_size: int):
    tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
    train = datasets.ImageFolder(os.path.join(data, "train"), tf)
    val = datasets.ImageFolder(os.path.join(data, "val"), tf)
    workers = min(8, os.cpu_count() or 1)
    return (
        DataLoader(train, batch_size=batch_size, shuffle=True, num_workers=workers, pin_memory=True),
        DataLoader(val, batch_size=batch_size, num_workers=workers, pin_memory=True),
        len(train.classes),
    )


def evaluate(model: nn.Module, val: DataLoader, device: torch.device) -> float:
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in val:
            predicted = model(images.to(device)).argmax(dim=1)
            correct += (predicted == labels.to(device)).sum().item()
            total += labels.numel()
    return correct / max(total, 1)


def main() -> int:
    args = parse_args()
    if not torch.cuda.is_available():
        # A GPU step without a GPU is a pool or image problem; fail loudly instead of training for days on CPU.
        print("error: no CUDA device visible; is this running on the GPU pool?", file=sys.stderr)
        return 2

    device = torch.device("cuda")
    print(f"device: {torch.cuda.get_device_name(0)}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    track = tracking()
    track.log_params({"epochs": args.epochs, "lr": args.lr, "batch_size": args.batch_size})

    train, val, classes = loaders(args.data, args.batch_size)
    model = models.resnet18(weights=None, num_classes=classes).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()

    checkpoint = os.path.join(args.out, "checkpoint.pt")
    start_epoch = 0
    if os.path.exists(checkpoint):
        state = torch.load(checkpoint, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"] + 1
        print(f"resuming after epoch {state['epoch']}", flush=True)

    accuracy = 0.0
    for epoch in range(start_epoch, args.epochs):
        model.train()
        started = time.time()
        for images, labels in train:
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(images.to(device)), labels.to(device))
            loss.backward()
            optimizer.step()
        accuracy = evaluate(model, val, device)
        track.log_metric("loss", loss.item(), step=epoch)
        track.log_metric("val_accuracy", accuracy, step=epoch)
        print(f"epoch {epoch}: loss={loss.item():.4f} val_accuracy={accuracy:.4f} ({time.time() - started:.0f}s)", flush=True)
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, checkpoint)

    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump({"accuracy": accuracy}, f)
    # The value output 'accuracy': the platform reads $SERVERLESS_OUTPUTS/accuracy (text), as for local steps.
    if os.environ.get("SERVERLESS_OUTPUT_ACCURACY"):
        with open(os.environ["SERVERLESS_OUTPUT_ACCURACY"], "w", encoding="utf-8") as f:
            f.write(f"{accuracy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
