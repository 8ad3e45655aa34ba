package io.camrelay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ToolsTest {

    @Test
    void theInstallHintNamesThePackagesTheTestScriptInstalls() throws Exception {
        Matcher m = Pattern.compile("(?m)^PACKAGES=\\(([^)]*)\\)").matcher(Files.readString(Path.of("scripts/test.sh")));
        assertThat(m.find()).as("scripts/test.sh has a PACKAGES=(...) line").isTrue();
        assertThat(Arrays.asList(m.group(1).trim().split("\\s+")))
                .containsExactlyInAnyOrderElementsOf(Tools.DEBIAN_PACKAGES);
    }
}
