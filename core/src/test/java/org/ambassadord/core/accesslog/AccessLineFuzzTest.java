package org.ambassadord.core.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The access-log writers with any text where a record carries outside text (the client's name
 * from its container, the spec, the outcome's reason, the subject of a client's certificate): each record is exactly one line in both
 * formats; a text line has its fields in place and no control character; a JSON line parses
 * back to the same strings.
 */
class AccessLineFuzzTest {

    private static final JsonFactory JSON = new JsonFactory();

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"\\x0a", "\\x0d", "\\x1b[2J", "\\xe2\\x80\\xa8", "\\xc2\\x85", " ", "\"", "\\\\", "refused: ", "%20"})
    void everyRecordIsOneLineInBothFormats(FuzzedDataProvider data) throws IOException {
        String clientName = data.consumeString(128);
        String spec = data.consumeString(128);
        String tlsClient = data.consumeString(128);
        String outcome = data.consumeRemainingAsString();
        AccessRecord record = new AccessRecord(1_700_000_000_000L, "172.17.0.3:40000", clientName, 6379, "-", 1, 10, 20,
                3_000_000, outcome, tlsClient);
        StringWriter text = new StringWriter();
        AccessFormat.TEXT.write(record, spec, text);
        String line = text.toString();
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "not one line: " + line);
        String body = line.substring(0, line.length() - 1);
        assertTrue(body.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029), body);
        assertTrue(body.contains(" :6379 ") && body.contains(" attempts=1 up=10 down=20 ms=3 "), body);

        StringWriter json = new StringWriter();
        AccessFormat.JSON.write(record, spec, json);
        String jsonLine = json.toString();
        assertTrue(jsonLine.endsWith("\n") && jsonLine.indexOf('\n') == jsonLine.length() - 1, "not one line: " + jsonLine);
        java.util.Map<String, String> parsed = strings(jsonLine);
        assertEquals(spec, parsed.get("spec"));
        assertEquals(outcome, parsed.get("outcome"));
        assertEquals(clientName.isEmpty() ? null : clientName, parsed.get("client_name"));
        assertEquals(tlsClient.isEmpty() ? null : tlsClient, parsed.get("tls_client"));
    }

    /** The string fields of one JSON object. */
    private static java.util.Map<String, String> strings(String json) throws IOException {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.VALUE_STRING) {
                    fields.put(name, parser.getText());
                }
            }
            assertEquals(null, parser.nextToken(), "one object per line");
        }
        return fields;
    }
}
