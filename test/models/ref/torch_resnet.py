"""torchvision's ResNet as the reference for test/models (Debian's /usr/bin/python3 with torch).

  torch_resnet.py names IN_CHANNELS DEPTH...
      JSON {depth: {name: shape}} of the state_dicts, fc and num_batches_tracked dropped.
  torch_resnet.py run DIR...
      JSON list, one result per DIR. DIR/manifest.json {depth, in_channels, training, input_shape (NCHW), params: [{name, shape,
      offset}]}, DIR/params.bin and DIR/input.bin (float32, PyTorch layouts). Loads the weights,
      runs one forward in train or eval mode and writes JSON {features, buffers} where buffers are
      the BatchNorm running statistics after that forward.
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, ResNet, resnet18, resnet34, resnet50

# torchvision has no ResNet-10; it is its BasicBlock network with one block per stage.
CONSTRUCTORS = {
    10: lambda: ResNet(BasicBlock, [1, 1, 1, 1]),
    18: resnet18,
    34: resnet34,
    50: resnet50,
}


def build(depth, in_channels):
    model = CONSTRUCTORS[depth]()
    model.conv1 = nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
    model.fc = nn.Identity()
    return model


def kept(name):
    return not name.endswith("num_batches_tracked")


def names(in_channels, depths):
    states = {d: build(d, in_channels).state_dict() for d in depths}
    return {d: {k: list(v.shape) for k, v in s.items() if kept(k)} for d, s in states.items()}


def run(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    flat = np.fromfile(os.path.join(folder, "params.bin"), dtype="<f4")
    state = {}
    for p in manifest["params"]:
        size = int(np.prod(p["shape"]))
        state[p["name"]] = torch.from_numpy(flat[p["offset"]:p["offset"] + size].reshape(p["shape"]).copy())
    model = build(manifest["depth"], manifest["in_channels"])
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if kept(k)]
    if missing or unexpected:
        raise SystemExit(f"state mismatch: missing {missing}, unexpected {unexpected}")
    x = torch.from_numpy(np.fromfile(os.path.join(folder, "input.bin"), dtype="<f4").reshape(manifest["input_shape"]))
    model.train(manifest["training"])
    with torch.no_grad():
        features = model(x)
    buffers = {k: v.flatten().tolist() for k, v in model.state_dict().items() if "running_" in k}
    return {"features": features.flatten().tolist(), "buffers": buffers}


if __name__ == "__main__":
    torch.set_num_threads(1)
    # One process per test file: importing torch takes seconds on a loaded machine.
    if sys.argv[1] == "names":
        print(json.dumps(names(int(sys.argv[2]), [int(d) for d in sys.argv[3:]])))
    else:
        print(json.dumps([run(folder) for folder in sys.argv[2:]]))
