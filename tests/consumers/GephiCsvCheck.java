// Reads OUT/gephi/nodes.csv and OUT/gephi/edges.csv exactly as Gephi's spreadsheet importer
// does (org.gephi.io.importer.plugin.file.spreadsheet.SpreadsheetUtils.configureCSVParser:
// Apache Commons CSV, CSVFormat.DEFAULT with ',' as delimiter, '\' as escape, empty lines
// ignored, "" read as null, surrounding spaces ignored and trimmed, first record as header,
// no missing column names, header case kept), and prints what it parsed as JSON lines:
//
//   {"file":"nodes","header":["Id","Label",...]}
//   {"file":"nodes","record":2,"row":{"Id":"...","Label":"...","country":null,...}}
//
// check_gephi.py compares those values with graph.json. Run it as a single-file program:
//
//   java -cp /usr/share/java/commons-csv.jar tests/consumers/GephiCsvCheck.java OUT
//
// Exit status: 0 parsed, 1 a file did not parse (message on stderr), 2 usage.

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

public class GephiCsvCheck {
    static CSVFormat gephiFormat() {
        return CSVFormat.DEFAULT.builder()
                .setDelimiter(',')
                .setEscape('\\')
                .setIgnoreEmptyLines(true)
                .setNullString("")
                .setIgnoreSurroundingSpaces(true)
                .setTrim(true)
                .setHeader()
                .setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(false)
                .setIgnoreHeaderCase(false)
                .build();
    }

    // JSON string literal, ASCII only (non-ASCII as \\uXXXX) so the platform encoding never matters.
    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static void dump(PrintStream out, Path csv, String name) throws IOException {
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = new CSVParser(r, gephiFormat())) {
            List<String> header = p.getHeaderNames();
            StringBuilder h = new StringBuilder("{\"file\":").append(json(name)).append(",\"header\":[");
            for (int i = 0; i < header.size(); i++) {
                h.append(i == 0 ? "" : ",").append(json(header.get(i)));
            }
            out.println(h.append("]}"));
            for (CSVRecord rec : p) {
                if (!rec.isConsistent()) {
                    throw new IOException(name + ".csv record " + rec.getRecordNumber() + " has " + rec.size()
                            + " fields, the header has " + header.size());
                }
                StringBuilder b = new StringBuilder("{\"file\":").append(json(name))
                        .append(",\"record\":").append(rec.getRecordNumber()).append(",\"row\":{");
                boolean first = true;
                for (Map.Entry<String, String> e : rec.toMap().entrySet()) {
                    b.append(first ? "" : ",").append(json(e.getKey())).append(':').append(json(e.getValue()));
                    first = false;
                }
                out.println(b.append("}}"));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp commons-csv.jar GephiCsvCheck.java OUT");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        Path gephi = Path.of(args[0], "gephi");
        for (String name : new String[] {"nodes", "edges"}) {
            Path csv = gephi.resolve(name + ".csv");
            try {
                dump(out, csv, name);
            } catch (IOException | RuntimeException e) {
                out.flush();
                System.err.println("Gephi's CSV parser (Commons CSV, '\\' escape) rejected " + csv + ": " + e);
                System.exit(1);
            }
        }
        out.flush();
    }
}
