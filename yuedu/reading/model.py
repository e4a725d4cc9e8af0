"""The g2pM model: a BiLSTM over the sentence, scoring a character's candidate readings."""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Sequence
from pathlib import Path


class _G2pM:
    """g2pM's BiLSTM, re-implemented to run many sentences as one float32 batch.

    The package's own ``G2pM.__call__`` runs one sentence at a time and takes the argmax
    over all 876 readings; here the logits are restricted to the candidates the rest of the
    engine allows, and their softmax gives a confidence used for auditing.
    """

    def __init__(self) -> None:
        # The matrices are small (one LSTM step over a batch): OpenBLAS's threads only spin and
        # compete with the build's worker processes. Measured on the 200-article bench text,
        # ``build.py pinyin`` took 26.5 s wall / 48 s CPU with the default threads and
        # 22.6 s / 22 s with one. Only a default: the environment still decides.
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        import numpy as np
        import g2pM

        base = Path(g2pM.__file__).parent

        def load(name: str):
            with (base / name).open("rb") as f:
                return pickle.load(f)

        self.np = np
        self.char2idx: dict[str, int] = load("char2idx.pkl")
        class2idx: dict[str, int] = load("class2idx.pkl")
        self.class_idx = {k.replace("u:", "v"): v for k, v in class2idx.items()}
        sd = load("np_ckpt.pkl")
        f32 = np.float32
        self.emb = sd["embedding.weight"].astype(f32)
        self.w_ih = sd["lstm.weight_ih_l0"].T.astype(f32)
        self.w_hh = sd["lstm.weight_hh_l0"].T.astype(f32)
        self.b = (sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]).astype(f32)
        self.w_ih_r = sd["lstm.weight_ih_l0_reverse"].T.astype(f32)
        self.w_hh_r = sd["lstm.weight_hh_l0_reverse"].T.astype(f32)
        self.b_r = (sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]).astype(f32)
        self.w0 = sd["logit_layer.0.weight"].T.astype(f32)
        self.b0 = sd["logit_layer.0.bias"].astype(f32)
        self.w1 = sd["logit_layer.2.weight"].astype(f32)
        self.b1 = sd["logit_layer.2.bias"].astype(f32)
        self._fuse()
        self.unk = self.char2idx["<UNK>"]
        self.bos = self.char2idx["시"]
        self.eos = self.char2idx["끝"]

    def _fuse(self) -> None:
        """Both directions' weights as one LSTM over [forward | backward] states.

        Gate columns are regrouped as [i f o] of both directions (sigmoids) then g of both
        (tanh), and the sigmoid columns are pre-scaled by 1/2 so that one tanh over all gates
        gives both: sigmoid(x) = (tanh(x / 2) + 1) / 2. One Python loop step then serves both
        directions, which is what a sentence at a time costs (H is only 32).
        """
        np = self.np
        hid = self.w_hh.shape[0]
        self.hid = hid
        # PyTorch's gate order within 4H: i, f, g, o
        blocks = {"i": slice(0, hid), "f": slice(hid, 2 * hid), "g": slice(2 * hid, 3 * hid), "o": slice(3 * hid, 4 * hid)}
        order = [("i", 0), ("i", 1), ("f", 0), ("f", 1), ("o", 0), ("o", 1), ("g", 0), ("g", 1)]
        w_ih = (self.w_ih, self.w_ih_r)
        w_hh = (self.w_hh, self.w_hh_r)
        b = (self.b, self.b_r)
        n_in = w_ih[0].shape[0]
        self.f_ih = np.zeros((2, n_in, 8 * hid), np.float32)  # per direction: input -> fused gates
        self.f_hh = np.zeros((2 * hid, 8 * hid), np.float32)
        self.f_b = np.zeros((2, 8 * hid), np.float32)
        for col, (gate, d) in enumerate(order):
            dst = slice(col * hid, (col + 1) * hid)
            scale = 1.0 if gate == "g" else 0.5
            self.f_ih[d][:, dst] = w_ih[d][:, blocks[gate]] * scale
            self.f_hh[d * hid:(d + 1) * hid, dst] = w_hh[d][:, blocks[gate]] * scale
            self.f_b[d][dst] = b[d][blocks[gate]] * scale

    def _run(self, fw, bw):
        """Both LSTM directions over [B, T] id batches; hidden states [B, T, 2H] (forward
        in the first H columns at position t, backward in the last H at reversed position t)."""
        np = self.np
        hid = self.hid
        # each direction's input feeds only its own fused gate columns: the projections add up
        x = self.emb[fw] @ self.f_ih[0] + self.emb[bw] @ self.f_ih[1] + (self.f_b[0] + self.f_b[1])
        bsz, steps, _ = x.shape
        h = np.zeros((bsz, 2 * hid), np.float32)
        c = np.zeros((bsz, 2 * hid), np.float32)
        out = np.empty((bsz, steps, 2 * hid), np.float32)
        w_hh = self.f_hh
        s3 = 6 * hid
        for t in range(steps):
            g = np.tanh(x[:, t] + h @ w_hh)
            sig = g[:, :s3] * 0.5 + 0.5
            c = sig[:, 2 * hid:4 * hid] * c + sig[:, :2 * hid] * g[:, s3:]
            h = sig[:, 4 * hid:] * np.tanh(c)
            out[:, t] = h
        return out

    def logits(self, sentences: Sequence[str], targets: Sequence[Sequence[int]]) -> list[list]:
        """Logit vectors (876 readings) for each target index of each sentence."""
        np = self.np
        result: list[list] = [[] for _ in sentences]
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        batch = 64
        for start in range(0, len(order), batch):
            idxs = order[start:start + batch]
            lens = [len(sentences[i]) + 2 for i in idxs]
            steps = max(lens)
            fw = np.zeros((len(idxs), steps), np.int64)  # 0 is the padding id
            bw = np.zeros((len(idxs), steps), np.int64)
            for row, i in enumerate(idxs):
                seq = [self.bos] + [self.char2idx.get(ch, self.unk) for ch in sentences[i]] + [self.eos]
                fw[row, :len(seq)] = seq
                bw[row, :len(seq)] = seq[::-1]
            hs = self._run(fw, bw)
            hid = self.hid
            rows, cols_f, cols_b = [], [], []
            for row, i in enumerate(idxs):
                for t in targets[i]:
                    rows.append(row)
                    cols_f.append(t + 1)
                    cols_b.append(lens[row] - 2 - t)
            if not rows:
                continue
            hidden = np.concatenate([hs[rows, cols_f, :hid], hs[rows, cols_b, hid:]], axis=1)
            out = np.maximum(hidden @ self.w0 + self.b0, 0) @ self.w1.T + self.b1
            k = 0
            for row, i in enumerate(idxs):
                for _ in targets[i]:
                    result[i].append(out[k])
                    k += 1
        return result


@functools.cache
def model() -> _G2pM:
    """The g2pM model, loaded once."""
    return _G2pM()
