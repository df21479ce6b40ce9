"""An exported model run from its model card alone: the reference for the card's completeness.

usage: card_model.py <export dir> <s2 GeoTIFF or -> <s1 GeoTIFF or ->

Reads only model-card.json, the safetensors files it names (checking their SHA-256) and the
GeoTIFFs (with rasterio, else GDAL's Python bindings, both numbering bands from 1 as the card
does), and follows the card's `preprocessing` steps in order with PyTorch and torchvision. A
sensor whose file is "-" is left out, as the card's concat step says. Prints JSON:
{"features": [...], "logits": [...], "probabilities": [...], "prediction": [...]}, the last
three for classifiers.
"""
import hashlib
import json
import re
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

try:
    import rasterio

    def read_band(path, number):
        with rasterio.open(path) as src:
            return src.read(number).astype(np.float64)

except ImportError:
    from osgeo import gdal

    def read_band(path, number):
        return gdal.Open(path).GetRasterBand(number).ReadAsArray().astype(np.float64)


DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path, sha256):
    with open(path, "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SystemExit(f"{path}: SHA-256 differs from the card")
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    body = data[8 + n :]
    return {
        name: torch.from_numpy(np.frombuffer(body[info["data_offsets"][0] : info["data_offsets"][1]], dtype=DTYPES[info["dtype"]]).reshape(info["shape"]).copy())
        for name, info in header.items()
    }


def backbone(step, state, classes):
    """torchvision's ResNet as the step names it, conv1 widened, loaded with strict=True."""
    m = re.fullmatch(r"ResNet\((BasicBlock|Bottleneck), \[(\d+), (\d+), (\d+), (\d+)\]\)", step["torchvision"])
    block = BasicBlock if m.group(1) == "BasicBlock" else Bottleneck
    model = ResNet(block, [int(m.group(i)) for i in range(2, 6)])
    model.conv1 = torch.nn.Conv2d(step["inChannels"], 64, kernel_size=7, stride=2, padding=3, bias=False)
    model.fc = torch.nn.Identity() if step["output"] == "features" else torch.nn.Linear(model.fc.in_features, classes)
    model.load_state_dict(state, strict=True)
    return model.eval()


def main():
    folder, files = sys.argv[1], {"s2": sys.argv[2], "s1": sys.argv[3]}
    with open(f"{folder}/model-card.json") as f:
        card = json.load(f)
    weights = card["weights"]
    tensors = {weights["file"]: read_safetensors(f"{folder}/{weights['file']}", weights["sha256"])}
    for part in weights["parts"]:
        tensors[part["file"]] = read_safetensors(f"{folder}/{part['file']}", part["sha256"])

    bands, counts, size, x, out = {}, {}, None, None, {}
    with torch.no_grad():
        for step in card["preprocessing"]:
            op, sensor = step["op"], step.get("sensor")
            a = bands.get(sensor)
            if op == "select_bands":
                counts[sensor] = len(step["bands"])
                path = files[sensor]
                bands[sensor] = None if path == "-" else np.stack([read_band(path, b) for b in step["bands"]])
            elif a is None and sensor is not None:
                continue
            elif op == "fill_nan":
                for i, value in enumerate(step["value"]):
                    a[i][np.isnan(a[i])] = value
            elif op == "clip":
                for i, (lo, hi) in enumerate(zip(step["min"], step["max"])):
                    a[i] = np.clip(a[i], -np.inf if lo is None else lo, np.inf if hi is None else hi)
            elif op == "normalize":
                bands[sensor] = (a - np.array(step["mean"])[:, None, None]) / np.array(step["std"])[:, None, None]
            elif op == "resize":
                size = step["size"]
                for s, b in bands.items():
                    if b is None:
                        continue
                    t = torch.from_numpy(b.astype(np.float32))[None]
                    if step["method"] == "area":
                        k = step["from"] // size
                        bands[s] = F.avg_pool2d(t, k)
                    else:
                        bands[s] = F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False)
            elif op == "concat":
                x = torch.cat([bands[s] if bands[s] is not None else torch.zeros(1, counts[s], size, size) for s in step["order"]], dim=1)
            elif op == "conv1x1":
                x = F.conv2d(x, tensors[step["file"]][step["weight"]])
            elif op == "batch_norm":
                t = tensors[step["file"]]
                x = F.batch_norm(x, t[step["running_mean"]], t[step["running_var"]], t[step["weight"]], t[step["bias"]], training=False, eps=step["eps"])
            elif op == "relu":
                x = F.relu(x)
            elif op == "backbone":
                model = backbone(step, tensors[step["file"]], len(card["classes"]))
                y = model(x)
                if step["output"] == "logits":
                    out["logits"] = y[0].tolist()
                    model.fc = torch.nn.Identity()
                out["features"] = model(x)[0].tolist()
            elif op == "sigmoid":
                y = torch.sigmoid(y)
                out["probabilities"] = y[0].tolist()
            elif op == "threshold":
                out["prediction"] = torch.nonzero(y[0] >= step["value"]).flatten().tolist()
            elif op == "softmax":
                y = torch.softmax(y, dim=step["axis"])
                out["probabilities"] = y[0].tolist()
            elif op == "argmax":
                out["prediction"] = torch.argmax(y, dim=step["axis"]).tolist()
            else:
                raise SystemExit(f"unknown preprocessing op {op}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
