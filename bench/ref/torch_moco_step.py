"""PyTorch reference for bench/train.ts: one MoCo-v2 training step, timed.

The architecture and the step match core/training/moco.ts: torchvision ResNet (conv1 taking
--channels inputs, fc replaced by the MoCo-v2 MLP head 512-512-128), key forward without
gradient, query forward and backward, InfoNCE against a queue, SGD (momentum, weight decay),
key-encoder momentum update, enqueue. Both encoders in training mode (batch statistics).
Prints one JSON object; CPU time counts every thread of the process.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet

BLOCKS = {10: [1, 1, 1, 1], 18: [2, 2, 2, 2], 34: [3, 4, 6, 3]}


def encoder(depth, channels, dim):
    net = ResNet(BasicBlock, BLOCKS[depth])
    net.conv1 = nn.Conv2d(channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
    width = net.fc.in_features
    net.fc = nn.Sequential(nn.Linear(width, width), nn.ReLU(inplace=True), nn.Linear(width, dim))
    return net


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--depth", type=int, default=18, choices=sorted(BLOCKS))
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--channels", type=int, default=12)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--queue", type=int, default=4096)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dim, temperature, key_momentum = 128, 0.2, 0.999
    query = encoder(a.depth, a.channels, dim)
    key = encoder(a.depth, a.channels, dim)
    key.load_state_dict(query.state_dict())
    for param in key.parameters():
        param.requires_grad = False
    query.train()
    key.train()
    queue = F.normalize(torch.randn(a.queue, dim), dim=1)
    ptr = 0
    optimizer = torch.optim.SGD(query.parameters(), lr=0.03, momentum=0.9, weight_decay=1e-4)
    # NHWC in ours, NCHW here: the same values in the layout each framework expects.
    xq = torch.randn(a.batch, a.channels, a.size, a.size)
    xk = torch.randn(a.batch, a.channels, a.size, a.size)
    labels = torch.zeros(a.batch, dtype=torch.long)

    def step():
        nonlocal ptr
        with torch.no_grad():
            k = F.normalize(key(xk), dim=1)
        q = F.normalize(query(xq), dim=1)
        logits = torch.cat([(q * k).sum(1, keepdim=True), q @ queue.t()], dim=1) / temperature
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for pk, pq in zip(key.parameters(), query.parameters()):
                pk.mul_(key_momentum).add_(pq, alpha=1 - key_momentum)
            queue[ptr : ptr + a.batch] = k
            ptr = (ptr + a.batch) % a.queue
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(a.steps):
        loss = step()
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    print(json.dumps({
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "threads": torch.get_num_threads(),
        "steps": a.steps,
        "ms_per_step": 1000 * seconds / a.steps,
        "images_per_second": a.batch * a.steps / seconds,
        "cpu_seconds_per_step": cpu_seconds / a.steps,
        "last_loss": loss,
    }))


if __name__ == "__main__":
    main()
