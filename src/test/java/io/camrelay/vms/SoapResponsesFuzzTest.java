package io.camrelay.vms;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.camrelay.testing.FuzzContract;
import io.camrelay.testing.ShortFuzz;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * Fuzz target of the SOAP replies of the ServerCommandService (docs/protocols.md §3.2): any body is parsed with
 * DTDs and entities refused and read as a Fault or a {@code LoginResponse}; the only failures are a
 * {@link SAXException} (not XML, or unsafe) and a {@link VmsUnavailableException} (no usable token), and a token that
 * is read is not empty and lives a positive time. Memory stays proportional to the body.
 */
class SoapResponsesFuzzTest {

    private static final URI ENDPOINT = URI.create("https://vms.example" + ServerCommandService.PATH);

    static final FuzzContract CONTRACT = FuzzContract.of("SoapXml/ServerCommandService.loginReply", 4 * 1024 * 1024,
            1024, input -> {
                Document doc = SoapXml.parse(input);
                if (SoapXml.first(doc, "Fault").isPresent()) {
                    SoapXml.text(doc, "faultstring").or(() -> SoapXml.text(doc, "Text"));
                    return;
                }
                ServerCommandService.VmsToken token = ServerCommandService.loginReply(doc, ENDPOINT);
                FuzzContract.require(!token.value().isEmpty() && !token.timeToLive().isNegative() && !token.timeToLive().isZero(), "token " + token,
                        input);
            }, SAXException.class, VmsUnavailableException.class);

    @FuzzTest
    void soapResponses(byte[] input) {
        CONTRACT.check(input);
    }

    @Test
    void mutationsOfTheStoredCorpusKeepTheContract() {
        // each run builds a hardened DocumentBuilderFactory, as SoapXml does per reply
        ShortFuzz.run(getClass(), "soapResponses", CONTRACT, ShortFuzz.DEFAULT_EXECUTIONS / 10);
    }
}
