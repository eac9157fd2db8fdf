"""Sobol' low-discrepancy points, optionally scrambled, generated in any slice.

Direction numbers are Joe and Kuo's ``new-joe-kuo-6.21201`` set (search
criterion D⁽⁶⁾; S. Joe and F. Y. Kuo, "Constructing Sobol sequences with
better two-dimensional projections", SIAM J. Sci. Comput. 30, 2635–2654,
2008), dimensions 1 to 1 024, bundled in ``data/sobol/``. Point ``i`` is the
XOR of the direction numbers picked by the bits of the Gray code of ``i``
(Antonov and Saleev), so any range of points comes out directly, without the
points before it: the sensitivity analysis draws its design chunk by chunk.

Scrambling is Matoušek's linear matrix scramble with a random digital shift
(as scipy's ``qmc.Sobol(scramble=True)``): each dimension's direction numbers
are multiplied by a random lower-triangular binary matrix with a unit
diagonal, and each point XOR-ed with a random shift. The scrambled points keep
the net structure of the sequence and are uniformly distributed on [0, 1)ᵈ.

>>> points = SobolSequence(2, scramble=False)
>>> points.take(0, 4).tolist()
[[0.0, 0.0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from dxplan.errors import InvalidValueError

__all__ = ["BITS", "MAX_DIMENSIONS", "SobolSequence"]

FloatArray = npt.NDArray[np.float64]
UIntArray = npt.NDArray[np.uint64]

#: Bits of each coordinate: up to 2³² points, resolution 2⁻³².
BITS = 32
#: Dimensions the bundled direction numbers cover.
MAX_DIMENSIONS = 1024


@cache
def _direction_table() -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """``(s, a, m)`` of dimensions 2, 3, …: degree, inner coefficients, initial numbers."""
    text = resources.files("dxplan").joinpath("data", "sobol", "joe_kuo_1024.txt")
    rows = []
    for line in text.read_text(encoding="utf-8").splitlines()[1:]:
        _, s, a, *m = (int(v) for v in line.split())
        rows.append((s, a, tuple(m)))
    return tuple(rows)


def _directions(dimensions: int) -> UIntArray:
    """Direction numbers ``v[j, k]`` (dimension j, bit k), as integers of :data:`BITS` bits."""
    table = _direction_table()
    v = np.zeros((dimensions, BITS), dtype=np.uint64)
    v[0] = [1 << (BITS - 1 - k) for k in range(BITS)]
    for j in range(1, dimensions):
        s, a, m = table[j - 1]
        column = [0] * BITS
        for k in range(min(s, BITS)):
            column[k] = m[k] << (BITS - 1 - k)
        for k in range(s, BITS):
            value = column[k - s] ^ (column[k - s] >> s)
            for i in range(1, s):
                if (a >> (s - 1 - i)) & 1:
                    value ^= column[k - i]
            column[k] = value
        v[j] = column
    return v


def _parity(values: UIntArray) -> UIntArray:
    x = values.copy()
    for shift in (32, 16, 8, 4, 2, 1):
        x ^= x >> np.uint64(shift)
    return x & np.uint64(1)


def _scramble(v: UIntArray, rng: np.random.Generator) -> tuple[UIntArray, UIntArray]:
    """Linear matrix scramble of the direction numbers, and a digital shift per dimension."""
    dimensions = v.shape[0]
    # Row r of each lower-triangular matrix: random bits at the r − 1 more
    # significant digits, 1 on the diagonal; digits counted from the top.
    lower = rng.integers(0, 2, size=(dimensions, BITS, BITS), dtype=np.uint64)
    digits = np.arange(BITS)
    lower = np.where(digits[None, None, :] < digits[None, :, None], lower, 0)
    lower[:, digits, digits] = 1
    place = np.uint64(1) << (np.uint64(BITS - 1) - digits.astype(np.uint64))
    masks = (lower * place[None, None, :]).sum(axis=2, dtype=np.uint64)  # (dims, rows)
    # Digit r of a scrambled number is the parity of (number AND row r's mask).
    bits = _parity(v[:, :, None] & masks[:, None, :])  # (dims, numbers, rows)
    scrambled = (bits * place[None, None, :]).sum(axis=2, dtype=np.uint64)
    shift = np.asarray(rng.integers(0, 1 << BITS, size=dimensions, dtype=np.uint64))
    return scrambled, shift


class SobolSequence:
    """The first ``dimensions`` coordinates of the Sobol' sequence, scrambled by default.

    Args:
        dimensions: 1 to :data:`MAX_DIMENSIONS`.
        scramble: apply a linear matrix scramble and a digital shift.
        rng: the random source of the scramble (a fresh one when ``None``).
    """

    def __init__(
        self,
        dimensions: int,
        *,
        scramble: bool = True,
        rng: np.random.Generator | None = None,
    ) -> None:
        if not 1 <= dimensions <= MAX_DIMENSIONS:
            raise InvalidValueError(
                "dimensions",
                dimensions,
                f"from 1 to {MAX_DIMENSIONS} (the bundled direction numbers)",
            )
        self.dimensions = dimensions
        v = _directions(dimensions)
        if scramble:
            v, self._shift = _scramble(v, np.random.default_rng() if rng is None else rng)
        else:
            self._shift = np.zeros(dimensions, dtype=np.uint64)
        self._v = v

    def take(self, start: int, stop: int) -> FloatArray:
        """Points ``start`` to ``stop − 1`` of the sequence, as rows of a float matrix."""
        if not 0 <= start <= stop <= 1 << BITS:
            raise InvalidValueError("start, stop", (start, stop), f"0 ≤ start ≤ stop ≤ 2^{BITS}")
        index = np.arange(start, stop, dtype=np.uint64)
        gray = index ^ (index >> np.uint64(1))
        x = np.broadcast_to(self._shift, (stop - start, self.dimensions)).copy()
        for k in range(max(int(stop - 1).bit_length(), 0)):
            picked = ((gray >> np.uint64(k)) & np.uint64(1)).astype(bool)
            x[picked] ^= self._v[:, k]
        return x.astype(np.float64) * 2.0**-BITS
