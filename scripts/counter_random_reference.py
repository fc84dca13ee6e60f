#!/usr/bin/env python3
"""Independent reference for Augment's counter-based generator (Sources/Randomness).

Prints the golden values that Tests/RandomnessTests/CounterRandomTests.swift checks:
stream keys, raw bits, 53-bit units, 24-bit floats, Lemire bounded draws and the
Fisher-Yates epoch orders. Pure Python, no dependencies:

    python3 scripts/counter_random_reference.py
"""

MASK = (1 << 64) - 1


def mix(x):
    """SplitMix64's output function after the golden-ratio increment."""
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def key(parts):
    k = 0x6A09E667F3BCC908
    for p in parts:
        k = mix(k ^ mix(p & MASK))
    return k


def bits(k, counter):
    return mix(k ^ mix(counter))


def unit(k, counter):
    return (bits(k, counter) >> 11) / 2.0**53


def unit_float(k, counter):
    return (bits(k, counter) >> 40) / 2.0**24


def below(k, counter, n):
    return (bits(k, counter) * n) >> 64


def permutation(k, count):
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = below(k, i, i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def main():
    k = key([42, 7])
    print(f"key([42, 7]) = 0x{k:016X}")
    print("bits 0..2 =", [f"0x{bits(k, c):016X}" for c in range(3)])
    print("unit 0..2 =", [repr(unit(k, c)) for c in range(3)])
    print("uniform Float 0..2 =", [repr(unit_float(k, c)) for c in range(3)])
    print("below(c, 10) c=0..9 =", [below(k, c, 10) for c in range(10)])
    for seed, epoch in [(42, 0), (42, 1), (7, 0)]:
        print(f"EpochOrder count 10 seed {seed} epoch {epoch} =", permutation(key([seed, epoch]), 10))


if __name__ == "__main__":
    main()
