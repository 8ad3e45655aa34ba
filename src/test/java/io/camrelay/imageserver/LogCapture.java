package io.camrelay.imageserver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/** Captures everything CamRelay and Netty log (DEBUG and up) while open, so a test can grep it for secrets. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level camrelayLevel;

    LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        camrelayLevel = context.getConfiguration().getLoggerConfig("io.camrelay").getLevel();
        start();
        context.getConfiguration().getRootLogger().addAppender(this, Level.ALL, null);
        context.getConfiguration().getLoggerConfig("io.camrelay").addAppender(this, Level.ALL, null);
        Configurator.setLevel("io.camrelay", Level.DEBUG);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.getConfiguration().getLoggerConfig("io.camrelay").removeAppender(getName());
        Configurator.setLevel("io.camrelay", camrelayLevel);
        context.updateLoggers();
        stop();
    }
}
