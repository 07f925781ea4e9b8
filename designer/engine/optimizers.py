"""Optimisers: small classes that update a model's parameters in place from its gradients.

Each follows PyTorch's update rule exactly, so one step here equals one step
of torch.optim with the same settings. Weight decay is L2 (added to the
gradient) for every optimiser but AdamW, where it is decoupled (the weights
shrink by lr * weight_decay before the Adam step).
"""

from __future__ import annotations

import math

import numpy as np

Arrays = dict[str, np.ndarray]


class Optimizer:
    decay_is_l2 = True  # weight decay added to the gradient (False: decoupled, as in AdamW)

    def __init__(self, params: Arrays, grads: Arrays, lr: float = 0.01, weight_decay: float = 0.0,
                 clip_norm: float | None = None) -> None:
        if lr <= 0 or not math.isfinite(lr):
            raise ValueError(f"The learning rate must be a positive number, not {lr}.")
        self.params, self.grads = params, grads
        self.lr = lr
        self.weight_decay = weight_decay
        self.clip_norm = clip_norm
        self.steps = 0
        self.slots: dict[str, Arrays] = {}  # per-parameter state: momentum, moments

    def step(self) -> None:
        if self.clip_norm is not None:
            clip_grad_norm(self.grads, self.clip_norm)
        self.steps += 1
        for key, param in self.params.items():
            grad = self.grads[key]
            if self.weight_decay and self.decay_is_l2:
                grad = grad + self.weight_decay * param
            self.update(key, param, grad)

    def update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def _slot(self, name: str, key: str, like: np.ndarray) -> np.ndarray:
        """A per-parameter state array (momentum, moments), made on first use."""
        slot = self.slots.setdefault(name, {})
        if key not in slot:
            slot[key] = np.zeros_like(like)
        return slot[key]


class SGD(Optimizer):
    def __init__(self, params: Arrays, grads: Arrays, lr: float = 0.01, momentum: float = 0.0,
                 nesterov: bool = False, **options) -> None:
        super().__init__(params, grads, lr, **options)
        self.momentum, self.nesterov = momentum, nesterov

    def update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        if self.momentum:
            velocity = self._slot("velocity", key, param)
            if self.steps == 1:
                velocity[...] = grad
            else:
                velocity *= self.momentum
                velocity += grad
            grad = grad + self.momentum * velocity if self.nesterov else velocity
        param -= self.lr * grad


class Adam(Optimizer):
    def __init__(self, params: Arrays, grads: Arrays, lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, **options) -> None:
        super().__init__(params, grads, lr, **options)
        self.beta1, self.beta2 = betas
        self.eps = eps

    def update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        m, v = self._slot("m", key, param), self._slot("v", key, param)
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        correction1 = 1 - self.beta1 ** self.steps
        correction2 = 1 - self.beta2 ** self.steps
        denominator = np.sqrt(v) / math.sqrt(correction2) + self.eps
        param -= (self.lr / correction1) * m / denominator


class AdamW(Adam):
    decay_is_l2 = False

    def update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        if self.weight_decay:
            param *= 1 - self.lr * self.weight_decay
        super().update(key, param, grad)


class RMSprop(Optimizer):
    def __init__(self, params: Arrays, grads: Arrays, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 momentum: float = 0.0, **options) -> None:
        super().__init__(params, grads, lr, **options)
        self.alpha, self.eps, self.momentum = alpha, eps, momentum

    def update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        square_avg = self._slot("square_avg", key, param)
        square_avg *= self.alpha
        square_avg += (1 - self.alpha) * grad * grad
        step = grad / (np.sqrt(square_avg) + self.eps)
        if self.momentum:
            buffer = self._slot("buffer", key, param)
            buffer *= self.momentum
            buffer += step
            step = buffer
        param -= self.lr * step


class Adagrad(Optimizer):
    def __init__(self, params: Arrays, grads: Arrays, lr: float = 0.01, eps: float = 1e-10, **options) -> None:
        super().__init__(params, grads, lr, **options)
        self.eps = eps

    def update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        total = self._slot("sum", key, param)
        total += grad * grad
        param -= self.lr * grad / (np.sqrt(total) + self.eps)


def clip_grad_norm(grads: Arrays, max_norm: float) -> float:
    """Scale all gradients down together when their joint L2 norm exceeds max_norm (as PyTorch does)."""
    total = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        for g in grads.values():
            g *= scale
    return total


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad,
}


def make_optimizer(name: str, params: Arrays, grads: Arrays, lr: float, momentum: float = 0.0,
                   nesterov: bool = False, weight_decay: float = 0.0, clip_norm: float | None = None) -> Optimizer:
    if name not in OPTIMIZERS:
        raise ValueError(f"{name!r} is not an optimizer NN Designer knows; choose one of {', '.join(OPTIMIZERS)}.")
    options = dict(weight_decay=weight_decay, clip_norm=clip_norm)
    if name == "sgd":
        return SGD(params, grads, lr, momentum=momentum, nesterov=nesterov, **options)
    if name == "rmsprop":
        return RMSprop(params, grads, lr, momentum=momentum, **options)
    return OPTIMIZERS[name](params, grads, lr, **options)
