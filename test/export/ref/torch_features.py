"""Pooled features of an exported model, computed by torchvision: the reference for our export.

usage: torch_features.py <export dir> <raw input .bin> <n> <h> <w>

The export dir holds model.safetensors and model-card.json. The input file is float32
little-endian NHWC raw values (S2 reflectance x 10000, S1 dB, NaNs allowed), normalised here
with the card's recipe. Prints the pooled features as a JSON list of lists.
"""
import json
import sys

import numpy as np
import torch
import torchvision

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U8": np.uint8}


def read_safetensors(path):
    """Plain json + numpy reading, so the test does not depend on the safetensors package."""
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    body = data[8 + n :]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def normalise(raw, norm):
    x = raw.copy()
    for c in range(x.shape[-1]):
        band = x[..., c]
        band[np.isnan(band)] = norm["nanValue"][c]
        if norm["clip"][c] is not None:
            lo, hi = norm["clip"][c]
            np.clip(band, lo, hi, out=band)
        x[..., c] = (band - norm["mean"][c]) / norm["std"][c]
    return x


def main():
    folder, input_path, n, h, w = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
    with open(f"{folder}/model-card.json") as f:
        card = json.load(f)
    state = read_safetensors(f"{folder}/{card['weights']['file']}")

    model = getattr(torchvision.models, card["architecture"])()
    model.conv1 = torch.nn.Conv2d(card["inputChannels"], 64, kernel_size=7, stride=2, padding=3, bias=False)
    model.fc = torch.nn.Identity()
    model.load_state_dict(state, strict=True)
    model.eval()

    raw = np.fromfile(input_path, dtype="<f4").reshape(n, h, w, card["inputChannels"])
    x = torch.from_numpy(normalise(raw, card["normalization"])).permute(0, 3, 1, 2).contiguous()
    with torch.no_grad():
        features = model(x)
    print(json.dumps(features.double().tolist()))


if __name__ == "__main__":
    main()
