"""The PyTorch peer of TrainBench's bare loop: the same 20-64-32-1 MLP, Adam (lr 1e-3), batch 256, MSE, on the
rows TrainBench wrote, one validation forward pass per epoch, with the given number of threads.
Prints one line: torch seconds samples_per_second.
Usage: torch_train.py ROWS_FILE EPOCHS THREADS"""
import sys
import time

import numpy as np
import torch


def main(path, epochs, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    header = np.fromfile(path, dtype="<i4", count=2)
    rows, cols = int(header[0]), int(header[1])
    values = np.fromfile(path, dtype="<f4", offset=8)
    x = torch.from_numpy(values[: rows * cols].reshape(rows, cols).copy())
    y = torch.from_numpy(values[rows * cols:].copy())
    validation = x[: rows * 15 // 70]  # the same share of rows as the pipeline's validation split
    model = torch.nn.Sequential(torch.nn.Linear(cols, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32),
                                torch.nn.ReLU(), torch.nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    started = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(rows)
        for start in range(0, rows, 256):
            batch = order[start:start + 256]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]).squeeze(1), y[batch])
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            model(validation)
    seconds = time.perf_counter() - started
    print(f"torch {seconds:.4f} {rows * epochs / seconds:.0f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
