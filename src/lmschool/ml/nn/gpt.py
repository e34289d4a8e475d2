"""A GPT in one file: token + position embeddings, pre-norm transformer blocks, a tied head.

    idx (B, T) integer token ids, T <= block_size
      -> wte(idx) + wpe(0..T-1)                       (B, T, C)   C = n_embd
      -> n_layer x Block:
           x = x + attn(ln_1(x))                      causal self-attention, n_head heads
           x = x + mlp(ln_2(x))                       Linear(C, 4C) -> GELU -> Linear(4C, C)
      -> ln_f                                         (B, T, C)
      -> lm_head (weights tied to wte)                (B, T, V)   logits for the NEXT token

The layout follows nanoGPT (Karpathy), which the lm module's lessons build step by step.
Two additions for teaching: a key-value cache (``KVCache``), so that generation feeds one
new token per step instead of the whole context, and ``param_count(config)``, the closed
formula that ``GPT.num_params()`` must equal.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from .sampling import sample_next


@dataclass
class GPTConfig:
    vocab_size: int = 65  # V: distinct tokens (65 characters for tiny Shakespeare)
    block_size: int = 64  # T_max: the longest context; position embeddings exist up to it
    n_layer: int = 4  # L: transformer blocks
    n_head: int = 4  # heads per block; each sees n_embd // n_head dimensions
    n_embd: int = 128  # C: the width of the residual stream
    dropout: float = 0.0  # on attention weights and residual branches, in train() only
    bias: bool = True  # biases in Linear and LayerNorm layers (nanoGPT's CPU run uses False)
    tie_weights: bool = True  # lm_head shares wte's matrix: V*C fewer parameters, often better

    def __post_init__(self) -> None:
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"GPTConfig.{name} must be a positive integer, got {value!r}")
        if self.n_embd % self.n_head:
            raise ValueError(
                f"GPTConfig.n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"GPTConfig.dropout must be in [0, 1), got {self.dropout}")


def param_count(config: GPTConfig) -> int:
    """The number of parameters of ``GPT(config)``, from the formula.

    Per block: 12 C^2 weights (attention 4 C^2: q, k, v and the output projection;
    MLP 8 C^2: C -> 4C -> C), plus with biases 13 C (attention 3C + C, MLP 4C + C,
    two LayerNorms 2C + 2C) or without them 2 C (the two LayerNorms' weights). Outside the
    blocks: V C token embeddings, T_max C position embeddings, the final LayerNorm,
    and V C more for an untied head (+ V with biases).
    """
    c, v = config.n_embd, config.vocab_size
    per_block = 12 * c * c + (13 * c if config.bias else 2 * c)
    total = v * c + config.block_size * c + config.n_layer * per_block
    total += 2 * c if config.bias else c  # ln_f
    if not config.tie_weights:
        total += v * c + (v if config.bias else 0)
    return total


class LayerNorm(nn.Module):
    """LayerNorm with an optional bias (PyTorch's has bias=... only since 2.1)."""

    def __init__(self, ndim: int, bias: bool) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class KVCache:
    """Keys and values of every layer for the tokens seen so far, in buffers allocated once.

    ``k`` and ``v`` are (L, B, nh, T_max, hs); positions ``0 .. length - 1`` are filled.
    A forward pass with the cache writes its new tokens' keys and values of layer i at
    ``length ..`` (``append``), attends to everything up to them, and once every layer has
    run, ``GPT.forward`` advances ``length``: the position of the next token. Writing into
    a buffer costs O(T_new) per step; ``torch.cat`` would copy the whole past every step.
    Memory: 2 (keys and values) x L x B x T_max x C numbers, ``nbytes``.
    """

    def __init__(
        self,
        config: GPTConfig,
        batch_size: int = 1,
        *,
        dtype: torch.dtype = torch.float32,
        device: torch.device | str | None = None,
    ) -> None:
        hs = config.n_embd // config.n_head
        shape = (config.n_layer, batch_size, config.n_head, config.block_size, hs)
        self.k = torch.zeros(shape, dtype=dtype, device=device)  # (L, B, nh, T_max, hs)
        self.v = torch.zeros(shape, dtype=dtype, device=device)
        self.length = 0  # tokens cached so far: the position of the next one

    def append(
        self, layer: int, k: torch.Tensor, v: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Store the new tokens' k, v (B, nh, T, hs) after the cached ones; return all so far."""
        start, end = self.length, self.length + k.shape[2]
        self.k[layer, :, :, start:end] = k
        self.v[layer, :, :, start:end] = v
        return self.k[layer, :, :, :end], self.v[layer, :, :, :end]  # (B, nh, end, hs)

    @property
    def nbytes(self) -> int:
        return self.k.nbytes + self.v.nbytes


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)  # q, k, v
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.attn_dropout = config.dropout
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(
        self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0
    ) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # 3 x (B, T, C)
        # split C into heads: (B, T, C) -> (B, nh, T, hs), hs = C / nh
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        if cache is not None:
            # the new tokens' keys and values join the cached ones BEFORE attending: a token
            # attends to itself too. k, v become (B, nh, T_past + T, hs)
            k, v = cache.append(layer, k, v)
        dropout_p = self.attn_dropout if self.training else 0.0
        T_all = k.shape[2]
        if T_all == T:
            # softmax(q k^T / sqrt(hs)) v with the causal mask, in one fused kernel
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=dropout_p)
        elif T == 1:
            # one new query at position T_past: every key is in its past, so no mask at all
            # (is_causal=True would align the mask top-left and show it only key 0)
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p)
        else:
            # new query i sits at position T_past + i: it sees keys 0 .. T_past + i
            mask = torch.ones(T, T_all, dtype=torch.bool, device=x.device).tril(T_all - T)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p)
        # y: (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))  # (B, T, C)


class Block(nn.Module):
    """Pre-norm residual block: normalise, transform, add back (the residual stream)."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(
        self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0
    ) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), cache, layer)  # tokens exchange information
        x = x + self.mlp(self.ln_2(x))  # each token computes on its own
        return x


class GPT(nn.Module):
    def __init__(self, config: GPTConfig | None = None, **overrides: object) -> None:
        super().__init__()
        config = config or GPTConfig()
        if overrides:
            config = GPTConfig(**{**vars(config), **overrides})
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)  # token embeddings
        self.wpe = nn.Embedding(config.block_size, config.n_embd)  # learned positions
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
        self.ln_f = LayerNorm(config.n_embd, bias=config.bias)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        if config.tie_weights:
            self.lm_head.weight = self.wte.weight  # one (V, C) matrix reads and writes tokens
        elif config.bias:
            self.lm_head.bias = nn.Parameter(torch.zeros(config.vocab_size))
        self.apply(self._init_weights)
        # GPT-2: scale the residual projections by 1/sqrt(2L) so the stream's variance
        # does not grow with depth (each block adds two branches)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self) -> int:
        """Distinct parameters (a tied matrix counts once); equals param_count(config)."""
        return sum(p.numel() for p in self.parameters())

    def forward(
        self,
        idx: torch.Tensor,
        targets: torch.Tensor | None = None,
        cache: KVCache | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Logits (B, T, V) and, with ``targets`` (B, T), the mean cross-entropy.

        With ``cache``, ``idx`` holds only the new tokens: their positions continue
        from ``cache.length``, their keys and values are appended to the cache, and
        ``cache.length`` grows by T.
        """
        if idx.ndim == 1:
            idx = idx.unsqueeze(0)  # (T,) -> (1, T)
        B, T = idx.shape
        start = cache.length if cache is not None else 0
        if cache is not None and cache.k.shape[1] != B:
            raise ValueError(f"the cache holds {cache.k.shape[1]} sequences, idx has {B}")
        if start + T > self.config.block_size:
            raise ValueError(
                f"a context of {start + T} tokens exceeds block_size={self.config.block_size}; "
                "crop it to the last block_size tokens"
            )
        pos = torch.arange(start, start + T, device=idx.device)  # (T,)
        x = self.drop(self.wte(idx) + self.wpe(pos))  # (B, T, C) + (T, C) broadcast
        for i, block in enumerate(self.blocks):
            x = block(x, cache, i)
        if cache is not None:
            cache.length += T  # every layer has stored these T tokens
        logits = self.lm_head(self.ln_f(x))  # (B, T, V)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.reshape(B * T, -1), targets.reshape(B * T).long())
        return logits, loss

    def configure_optimizer(
        self, lr: float, weight_decay: float = 0.1, betas: tuple[float, float] = (0.9, 0.95)
    ) -> torch.optim.AdamW:
        """AdamW with weight decay on matrices only (not on biases, LayerNorm weights)."""
        decay = [p for p in self.parameters() if p.dim() >= 2]
        no_decay = [p for p in self.parameters() if p.dim() < 2]
        groups = [
            {"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=lr, betas=betas)

    @torch.inference_mode()
    def generate(
        self,
        idx: Sequence[int] | torch.Tensor,
        max_new_tokens: int,
        *,
        temperature: float = 1.0,
        top_k: int | None = None,
        top_p: float | None = None,
        generator: torch.Generator | None = None,
        use_cache: bool = True,
        allowed: Callable[[list[int]], Sequence[int] | torch.Tensor | None] | None = None,
    ) -> torch.Tensor:
        """Continue ``idx`` (one sequence of token ids) by ``max_new_tokens`` tokens.

        temperature 0 is greedy; top_k / top_p keep only the k most likely tokens or
        the smallest set whose probability reaches p (see ``sampling.sample_next``).
        ``allowed(ids_so_far)`` may return the token ids permitted next (constrained
        decoding: a poem's line length, a JSON grammar); None allows every token.
        With ``use_cache`` the context is read once and each step feeds one new token.
        Positions are absolute, so a cached prefix cannot slide: once the sequence
        fills block_size, each step recomputes the last block_size tokens, exactly as
        without a cache. Cached and uncached generation therefore see the same context
        and, greedily, give the same tokens.
        """
        ids = torch.as_tensor(idx, dtype=torch.long).flatten()
        if len(ids) == 0:
            raise ValueError("idx must hold at least one token id")
        was_training = self.training
        self.eval()
        out = [int(i) for i in ids]
        T_max = self.config.block_size
        weight = self.wte.weight
        cache: KVCache | None = None
        logits = None
        for _ in range(int(max_new_tokens)):
            if use_cache and cache is not None and cache.length < T_max:
                new = torch.tensor([[out[-1]]], device=weight.device)  # (1, 1) one new token
                logits, _ = self(new, cache=cache)
            else:
                # (1, T) the last block_size tokens, read in one pass
                context = torch.tensor([out[-T_max:]], device=weight.device)
                if use_cache:
                    cache = KVCache(self.config, dtype=weight.dtype, device=weight.device)
                logits, _ = self(context, cache=cache)
            last = logits[0, -1]  # (V,) scores for the next token
            mask = allowed(out) if allowed is not None else None
            nxt = sample_next(
                last,
                temperature=temperature,
                top_k=top_k,
                top_p=top_p,
                allowed=mask,
                generator=generator,
            )
            out.append(nxt)
        self.train(was_training)
        return torch.tensor(out, dtype=torch.long)
