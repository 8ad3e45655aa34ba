package io.camrelay.support;

/** Walking an exception's causes, in one place. */
public final class Causes {

    private Causes() {
    }

    /** The deepest cause of {@code e} (what actually went wrong; wrappers only repeat it), or {@code e} itself. */
    public static Throwable deepest(Throwable e) {
        Throwable t = e;
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The first exception of {@code type} in the chain from {@code e} down, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The first exception in the chain from {@code e} down that has a message, or the deepest when none has. */
    public static Throwable firstWithMessage(Throwable e) {
        Throwable t = e;
        while (t != null && t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
