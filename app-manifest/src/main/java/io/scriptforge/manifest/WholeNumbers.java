package io.scriptforge.manifest;

import java.math.BigInteger;

/**
 * The ranges of the seed's integer types, shared by statement args ({@code int, unsigned, long, ulong64})
 * and config items ({@code INT, DWORD, LONG64, ULONG64}).
 */
public final class WholeNumbers {
    public static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    public static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    /** unsigned / DWORD: 0 to 2^32 - 1. */
    public static final BigInteger UNSIGNED_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);

    public static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    public static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** ulong64 / ULONG64: 0 to 2^64 - 1. */
    public static final BigInteger ULONG64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private WholeNumbers() {}
}
