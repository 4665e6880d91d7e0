// Evaluates XPath expressions with JavaRosa, the engine of ODK Collect, to make the expression
// corpus Canvass is checked against (Tests/Fixtures/javarosa/corpus.jsonl; docs/forms.md §8).
//
// Built and run by tools/javarosa-corpus.sh against the JavaRosa inside ODK Validate's jar (the one
// pyxform ships). Reads the instance (Tests/Fixtures/javarosa/instance.json) and one case per line
// ({"expr": "..."}) on standard input; writes each case back with JavaRosa's answer:
//   "type"   the XPath result's type: number, string, boolean, date or nodeset;
//   "value"  the result as XPath string() gives it (JavaRosa's XPathFuncExpr.toString);
//   "stored" what a calculate of type string holds afterwards (JavaRosa's wrapData), null for empty;
//   "error"  instead of the above when JavaRosa refuses the expression (the exception's class);
//   "clock"  the instant (ms since 1970) the case ran at, which today() and now() read.
// `${name}` becomes /data/name (or /data/REPEAT/name inside a repeat); `.` is the field `cur`.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.javarosa.core.model.FormDef;
import org.javarosa.core.model.condition.EvaluationContext;
import org.javarosa.core.model.data.IAnswerData;
import org.javarosa.core.model.instance.TreeElement;
import org.javarosa.core.model.instance.TreeReference;
import org.javarosa.core.model.instance.InstanceInitializationFactory;
import org.javarosa.xform.util.XFormUtils;
import org.javarosa.xpath.XPathNodeset;
import org.javarosa.xpath.XPathParseTool;
import org.javarosa.xpath.expr.XPathExpression;
import org.javarosa.xpath.expr.XPathFuncExpr;

public class JavaRosaCorpus {
    static final ObjectMapper JSON = new ObjectMapper();
    /** XLSForm types as XForm bind types, as pyxform writes them. */
    static final Map<String, String> BIND_TYPES = Map.ofEntries(
        Map.entry("integer", "int"), Map.entry("decimal", "decimal"), Map.entry("text", "string"),
        Map.entry("date", "date"), Map.entry("datetime", "dateTime"), Map.entry("time", "time"),
        Map.entry("select_one", "string"), Map.entry("select_multiple", "string"),
        Map.entry("geopoint", "geopoint"), Map.entry("geotrace", "geotrace"), Map.entry("geoshape", "geoshape"),
        Map.entry("barcode", "barcode"), Map.entry("range", "int"));

    public static void main(String[] args) throws Exception {
        JsonNode instance = JSON.readTree(new File(args[0]));
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("cur", "/data/cur");
        StringBuilder data = new StringBuilder(), binds = new StringBuilder();
        for (JsonNode field : instance.get("fields")) {
            String name = field.get("name").asText();
            paths.put(name, "/data/" + name);
            data.append(element(name, field.path("value").asText("")));
            binds.append(bind("/data/" + name, field.get("type").asText(), null));
        }
        for (JsonNode repeat : instance.get("repeats")) {
            String rname = repeat.get("name").asText();
            paths.put(rname, "/data/" + rname);
            for (JsonNode field : repeat.get("fields")) {
                String name = field.get("name").asText();
                paths.put(name, "/data/" + rname + "/" + name);
                binds.append(bind("/data/" + rname + "/" + name, field.get("type").asText(), null));
            }
            for (JsonNode row : repeat.get("rows")) {
                data.append("<").append(rname).append(">");
                for (JsonNode field : repeat.get("fields")) {
                    String name = field.get("name").asText();
                    data.append(element(name, row.path(name).asText("")));
                }
                data.append("</").append(rname).append(">");
            }
        }
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            ObjectNode item = (ObjectNode) JSON.readTree(line);
            String xpath = toXPath(item.get("expr").asText(), paths);
            ObjectNode answer = JSON.createObjectNode();
            try {
                // A calculate that cannot be a calculate (`.` is itself, a cycle) is left out; the
                // expression is still evaluated on its own.
                FormDef form;
                boolean calculated = true;
                try {
                    form = form(data.toString(), binds.toString(), xpath);
                } catch (Throwable e) {
                    form = form(data.toString(), binds.toString(), null);
                    calculated = false;
                }
                answer.put("clock", System.currentTimeMillis());
                TreeReference cur = XPathReference("/data/cur");
                EvaluationContext context = new EvaluationContext(form.getEvaluationContext(), cur);
                XPathExpression parsed = XPathParseTool.parseXPath(xpath);
                Object value = parsed.eval(form.getMainInstance(), context);
                answer.put("type", typeOf(value instanceof XPathNodeset && ((XPathNodeset) value).size() == 1 ? ((XPathNodeset) value).unpack() : value));
                answer.put("value", XPathFuncExpr.toString(value instanceof XPathNodeset ? ((XPathNodeset) value).unpack() : value));
                if (calculated) {
                    TreeElement result = form.getMainInstance().resolveReference(XPathReference("/data/result"));
                    IAnswerData stored = result == null ? null : result.getValue();
                    if (stored == null) answer.putNull("stored"); else answer.put("stored", stored.uncast().getString());
                }
            } catch (Throwable e) {
                answer.put("error", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).split("\n")[0]);
            }
            item.set("javarosa", answer);
            out.println(JSON.writeValueAsString(item));
        }
    }

    static TreeReference XPathReference(String path) {
        return org.javarosa.model.xform.XPathReference.getPathExpr(path).getReference();
    }

    static String typeOf(Object value) {
        if (value instanceof Double) return "number";
        if (value instanceof String) return "string";
        if (value instanceof Boolean) return "boolean";
        if (value instanceof Date) return "date";
        if (value instanceof XPathNodeset) return ((XPathNodeset) value).size() == 0 ? "string" : "nodeset";
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)\\}");

    static String toXPath(String expr, Map<String, String> paths) {
        Matcher m = REFERENCE.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String path = paths.get(m.group(1));
            if (path == null) throw new IllegalArgumentException("the corpus instance has no field " + m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(" " + path + " "));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String element(String name, String value) {
        if (value.isEmpty()) return "<" + name + "/>";
        return "<" + name + ">" + escape(value) + "</" + name + ">";
    }

    static String bind(String path, String type, String calculate) {
        String bindType = BIND_TYPES.getOrDefault(type, "string");
        return "<bind nodeset=\"" + path + "\" type=\"" + bindType + "\""
            + (calculate == null ? "" : " calculate=\"" + escape(calculate) + "\"") + "/>";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A form with the instance, the field `cur` for `.`, and `result`, a calculate of the expression. */
    static FormDef form(String data, String binds, String xpath) throws Exception {
        String xml = "<?xml version=\"1.0\"?>"
            + "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\""
            + " xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\">"
            + "<h:head><h:title>corpus</h:title><model><instance><data id=\"corpus\">"
            + data + "<cur>7</cur><result/><meta><instanceID/></meta></data></instance>"
            + binds + "<bind nodeset=\"/data/cur\" type=\"string\"/>"
            + (xpath == null ? "" : bind("/data/result", "text", xpath))
            + "<bind nodeset=\"/data/meta/instanceID\" type=\"string\" readonly=\"true()\" jr:preload=\"uid\"/>"
            + "</model></h:head><h:body><input ref=\"/data/cur\"><label>cur</label></input></h:body></h:html>";
        FormDef form = XFormUtils.getFormFromInputStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        form.initialize(true, new InstanceInitializationFactory());
        return form;
    }
}
