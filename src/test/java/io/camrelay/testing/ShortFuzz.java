package io.camrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The few seconds of fuzzing each target gets in the normal build (docs/fuzzing.md): random mutations of the target's
 * stored corpus (Jazzer's {@code <Class>Inputs/<method>/} directory on the test class path) checked against its
 * {@link FuzzContract}, from a fixed seed so that a failure repeats. The coverage-guided runs are scripts/fuzz.sh's.
 */
public final class ShortFuzz {

    /** Executions per target in the normal build: a few seconds even on a loaded machine. */
    public static final int DEFAULT_EXECUTIONS = 20_000;

    private ShortFuzz() {
    }

    /** Where the corpus a fuzzing run generates for {@code method} is kept (scripts/fuzz.sh writes it there). */
    public static final Path GENERATED = Path.of("src", "test", "fuzz");

    /**
     * The stored inputs of {@code method} of {@code testClass}: the seeds and crash reproducers Jazzer runs as
     * regression tests ({@code src/test/resources/<package>/<Class>Inputs/<method>/}) and the corpus the fuzzing runs
     * generated ({@code src/test/fuzz/<method>/}).
     */
    public static List<byte[]> corpus(Class<?> testClass, String method) {
        String dir = testClass.getName().replace('.', '/') + "Inputs/" + method;
        URL url = testClass.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException("no stored corpus for " + testClass.getSimpleName() + "." + method
                    + ": expected src/test/resources/" + dir);
        }
        try {
            List<byte[]> out = new ArrayList<>(read(Path.of(url.toURI())));
            Path generated = GENERATED.resolve(method);
            if (Files.isDirectory(generated)) {
                out.addAll(read(generated));
            }
            return out;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> read(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<byte[]> out = new ArrayList<>();
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks {@code contract} on the stored corpus of the target and {@code executions} mutations of it. */
    public static void run(Class<?> testClass, String method, FuzzContract contract, int executions) {
        List<byte[]> corpus = corpus(testClass, method);
        for (byte[] input : corpus) {
            contract.check(input);
        }
        Random random = new Random(method.hashCode());
        for (int i = 0; i < executions; i++) {
            byte[] base = corpus.isEmpty() ? new byte[0] : corpus.get(random.nextInt(corpus.size()));
            byte[] mutated = mutate(random, base, corpus);
            for (int more = random.nextInt(3); more > 0; more--) {
                mutated = mutate(random, mutated, corpus);
            }
            contract.check(mutated);
        }
    }

    /** One libFuzzer-like mutation: flip, set, insert, erase, copy, splice, or an interesting value. */
    static byte[] mutate(Random random, byte[] in, List<byte[]> corpus) {
        byte[] b = in.clone();
        int n = b.length;
        switch (random.nextInt(8)) {
            case 0 -> {
                if (n > 0) {
                    b[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                if (n > 0) {
                    b[random.nextInt(n)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                int at = random.nextInt(n + 1);
                byte[] ins = new byte[1 + random.nextInt(8)];
                random.nextBytes(ins);
                b = concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, n));
            }
            case 3 -> {
                if (n > 0) {
                    int at = random.nextInt(n);
                    int len = 1 + random.nextInt(Math.min(16, n - at));
                    b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, n));
                }
            }
            case 4 -> {
                if (n > 1) {
                    int from = random.nextInt(n);
                    int to = random.nextInt(n);
                    int len = 1 + random.nextInt(Math.min(32, n - Math.max(from, to)));
                    System.arraycopy(in, from, b, to, len);
                }
            }
            case 5 -> {
                byte[] other = corpus.isEmpty() ? new byte[0] : corpus.get(random.nextInt(corpus.size()));
                int cut = random.nextInt(n + 1);
                int otherCut = random.nextInt(other.length + 1);
                b = concat(Arrays.copyOf(b, cut), Arrays.copyOfRange(other, otherCut, other.length));
            }
            case 6 -> {
                if (n > 0) {
                    int[] interesting = {0, 1, 0x7F, 0x80, 0xFF, 0x10, 0x20, '<', '\r', '\n'};
                    b[random.nextInt(n)] = (byte) interesting[random.nextInt(interesting.length)];
                }
            }
            default -> b = Arrays.copyOf(b, random.nextInt(n + 1));
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
