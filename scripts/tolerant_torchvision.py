"""Imports torchvision when its wheel was built for another torch: the C++ ops it registers at
import (nms, ...) may not exist, and the functional kernels the fixture scripts use are pure
PyTorch, so those registrations are skipped. Import this module before `torchvision`."""
import torch
import torch.library

_register_fake = torch.library.register_fake


def _tolerant_register_fake(name, *args, **kwargs):
    def decorate(function):
        try:
            return _register_fake(name, *args, **kwargs)(function)
        except RuntimeError:
            return function
    return decorate


torch.library.register_fake = _tolerant_register_fake
import torchvision  # noqa: E402,F401

torch.library.register_fake = _register_fake
