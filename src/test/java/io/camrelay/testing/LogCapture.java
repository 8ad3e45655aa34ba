package io.camrelay.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log event (all loggers; message and full stack trace) while open, so a test can assert what an
 * operator would read — and grep it for secrets. Each line reads {@code LEVEL logger - message}, followed by the
 * stack trace of an attached exception.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private static final String CAMRELAY = "io.camrelay";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level camrelayLevel;

    private LogCapture(boolean debug) {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext context = context();
        Configuration config = context.getConfiguration();
        camrelayLevel = config.getLoggerConfig(CAMRELAY).getLevel();
        start();
        config.getRootLogger().addAppender(this, Level.ALL, null);
        // Additive loggers reach the root's appenders; only the others need the capture too (else events double).
        config.getLoggers().values().stream().filter(l -> !l.isAdditive())
                .forEach(l -> l.addAppender(this, Level.ALL, null));
        if (debug) {
            Configurator.setLevel(CAMRELAY, Level.DEBUG);
        }
        context.updateLoggers();
    }

    /** Captures what is logged at the configured levels. */
    public LogCapture() {
        this(false);
    }

    /** Captures what is logged at the configured levels. */
    public static LogCapture capture() {
        return new LogCapture(false);
    }

    /** Captures with CamRelay's loggers at DEBUG, so protocol steps are included (e.g. to check they leak nothing). */
    public static LogCapture atDebug() {
        return new LogCapture(true);
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                .append(" - ").append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    /** The captured events, one entry each. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Everything captured, as one text. */
    public String text() {
        return String.join("\n", lines);
    }

    /** Alias of {@link #text()}. */
    public String all() {
        return text();
    }

    /** How many events at {@code level} contain {@code fragment}. */
    public long count(String level, String fragment) {
        return lines.stream().filter(l -> l.startsWith(level + " ") && l.contains(fragment)).count();
    }

    @Override
    public void close() {
        LoggerContext context = context();
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(getName());
        config.getLoggers().values().forEach(l -> l.removeAppender(getName()));
        Configurator.setLevel(CAMRELAY, camrelayLevel);
        context.updateLoggers();
        stop();
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }
}
