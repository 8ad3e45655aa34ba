package io.camrelay.testing;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.List;

/**
 * The contract every parser's fuzz target checks (docs/fuzzing.md): for any input the parser returns or throws one of
 * its declared exception types, and allocates no more than a bound proportional to the input; anything else is a
 * finding, reported as an {@link AssertionError} naming the input. Hangs are the fuzzing engine's to catch
 * (libFuzzer {@code -timeout}) and the short runs' time limits.
 */
public final class FuzzContract {

    /** A parser run on one input; may throw. */
    @FunctionalInterface
    public interface Target {
        void run(byte[] input) throws Exception;
    }

    private static final int WARM_UP_EXECUTIONS = 10;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String name;
    private final Target target;
    private final List<Class<? extends Throwable>> declared;
    private final long bytesPerInputByte;
    private final long fixedBytes;
    /** The first executions load and initialise classes: their allocations say nothing about the parser. */
    private int warmUps = WARM_UP_EXECUTIONS;

    private FuzzContract(String name, Target target, List<Class<? extends Throwable>> declared,
            long bytesPerInputByte, long fixedBytes) {
        this.name = name;
        this.target = target;
        this.declared = declared;
        this.bytesPerInputByte = bytesPerInputByte;
        this.fixedBytes = fixedBytes;
    }

    /**
     * The contract of {@code name}: runs {@code target}, which may throw only {@code declared} types and allocate at
     * most {@code fixedBytes + bytesPerInputByte × input length} per input.
     */
    @SafeVarargs
    public static FuzzContract of(String name, long fixedBytes, long bytesPerInputByte, Target target,
            Class<? extends Throwable>... declared) {
        return new FuzzContract(name, target, List.of(declared), bytesPerInputByte, fixedBytes);
    }

    /** Fails unless {@code condition}: a broken promise of the parser about its result. */
    public static void require(boolean condition, String what, byte[] input) {
        if (!condition) {
            throw new AssertionError(what + " for the input " + describe(input));
        }
    }

    /** Checks the contract on {@code input}. */
    public void check(byte[] input) {
        long allocated = runOnce(input);
        long bound = fixedBytes + bytesPerInputByte * input.length;
        if (warmUps > 0) {
            warmUps--;
        } else if (allocated > bound) {
            // the first run of a code path loads and links classes: only what the parser allocates again counts
            long again = runOnce(input);
            if (again > bound) {
                throw new AssertionError(name + " allocated " + again + " bytes for an input of " + input.length
                        + " bytes (bound " + bound + "): " + describe(input));
            }
        }
    }

    /** Runs the target once on {@code input}; returns the bytes it allocated. */
    private long runOnce(byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            target.run(input);
        } catch (Throwable t) {
            if (declared.stream().noneMatch(c -> c.isInstance(t))) {
                throw new AssertionError(name + " threw " + t + ", which is none of its declared " + names()
                        + ", for the input " + describe(input), t);
            }
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private String names() {
        return declared.stream().map(Class::getSimpleName).toList().toString();
    }

    /** The input's length and its first bytes in hex, for a message. */
    public static String describe(byte[] input) {
        int shown = Math.min(input.length, 256);
        return input.length + " bytes " + HexFormat.of().formatHex(input, 0, shown) + (shown < input.length ? "…" : "");
    }
}
