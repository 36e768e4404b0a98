"""Which torch device a run uses: `auto` takes CUDA, then MPS, then the CPU."""

from __future__ import annotations

import torch

from engine.settings.errors import SettingError


def resolve_device(name: str) -> torch.device:
    """The device a name means; SettingError when it is absent on this machine."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise SettingError("device", f"{name} was asked for, but this machine has no CUDA GPU that torch can use (try cpu or auto)")
        index = int(name.partition(":")[2] or 0)
        count = torch.cuda.device_count()
        if index >= count:
            raise SettingError("device", f"{name} was asked for, but this machine has {count} CUDA GPU(s): cuda:0 to cuda:{count - 1}")
        return torch.device("cuda", index)
    if name == "mps":
        if not _mps_available():
            raise SettingError("device", "mps was asked for, but this machine has no Apple GPU that torch can use (try cpu or auto)")
        return torch.device("mps")
    raise SettingError("device", f"must be auto, cpu, cuda, cuda:N or mps (got {name!r})")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())
