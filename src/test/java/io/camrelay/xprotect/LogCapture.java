package io.camrelay.xprotect;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Captures what io.camrelay logs (INFO and above, as configured) while open: level, logger, message, exception. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerConfig config;

    private LogCapture() {
        super("test-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        this.config = ctx.getConfiguration().getLoggerConfig("io.camrelay");
        start();
        config.addAppender(this, Level.ALL, null);
        ctx.updateLoggers();
    }

    static LogCapture capture() {
        return new LogCapture();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder b = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                .append(" - ").append(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            b.append(" | ").append(t);
        }
        lines.add(b.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** All captured lines in one string, to assert that a secret is absent. */
    String all() {
        return String.join("\n", lines);
    }

    long count(String level, String fragment) {
        return lines.stream().filter(l -> l.startsWith(level + " ") && l.contains(fragment)).count();
    }

    @Override
    public void close() {
        config.removeAppender(getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        stop();
    }
}
