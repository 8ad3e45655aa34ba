package io.camrelay.streams;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree whose every node knows its line, so that errors in the streams file can name the
 * line (Jackson's {@code JsonNode} drops locations).
 */
final class YamlTree {

    /** Any node; {@code line} is 1-based. */
    sealed interface Node permits MapNode, ListNode, Scalar {
        int line();

        /** What the node is, for "expected a list, found a text" messages. */
        String kind();
    }

    /** A key in a mapping with the line the key is on. */
    record Entry(String key, int line, Node value) {
    }

    /** A mapping; duplicate keys are collected rather than silently overwritten. */
    record MapNode(Map<String, Entry> entries, List<Entry> duplicates, int line) implements Node {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record ListNode(List<Node> items, int line) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar; {@code text} is {@code null} for YAML null, {@code bool} is set for true/false. */
    record Scalar(String text, Boolean bool, int line) implements Node {
        @Override
        public String kind() {
            return text == null ? "nothing (null)" : bool != null ? "a boolean" : "a text";
        }
    }

    /** Thrown for text that is not YAML; carries the line. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        SyntaxException(String message, int line, Throwable cause) {
            super(message, cause);
            this.line = line;
        }
    }

    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlTree() {
    }

    /** Parses one YAML document; an empty document gives {@code null}. */
    static Node parse(String text) throws SyntaxException {
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            return read(p);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            int newline = message.indexOf('\n');
            throw new SyntaxException(newline > 0 ? message.substring(0, newline) : message, line, e);
        } catch (IOException e) {
            throw new SyntaxException(e.getMessage(), 0, e);
        }
    }

    private static Node read(JsonParser p) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Entry> entries = new LinkedHashMap<>();
                List<Entry> duplicates = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    Entry entry = new Entry(key, keyLine, read(p));
                    if (entries.putIfAbsent(key, entry) != null) {
                        duplicates.add(entry);
                    }
                }
                return new MapNode(entries, duplicates, line);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p));
                }
                return new ListNode(items, line);
            }
            case VALUE_NULL:
                return new Scalar(null, null, line);
            case VALUE_TRUE:
                return new Scalar("true", Boolean.TRUE, line);
            case VALUE_FALSE:
                return new Scalar("false", Boolean.FALSE, line);
            default:
                return new Scalar(p.getText(), null, line);
        }
    }
}
