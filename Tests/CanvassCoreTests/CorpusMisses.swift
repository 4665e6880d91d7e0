/// The cases of the JavaRosa corpus where Canvass answers otherwise, and why (ExpressionCorpusTests).
/// docs/forms.md §8 sums them up for people who write forms.
enum CorpusMisses {
    static let xpathPaths = """
        XPath paths: JavaRosa reads a bare name, /data/… or @… as a path into the XForm (an empty \
        node-set when there is no such node). Canvass forms name fields only as ${name}, as XLSForm does: \
        `form check` warns of a path (a mistyped ${name}, mostly) and the expression is left out.
        """
    static let julian = """
        A date before 15 October 1582: Java's calendar is Julian there, and prints year 1 as "1"; Canvass \
        counts days in the proleptic Gregorian calendar of ISO 8601 (as XForms' xsd:date does) with the \
        time zone database's local mean time for that year (+07:06:40 in Vietnam).
        """
    static let intersects = """
        intersects() is ODK Collect's own function, added outside JavaRosa (ODK Validate 1.20 stubs it \
        for checking), so JavaRosa alone refuses it; Canvass computes what ODK's documentation says: \
        whether two segments of the trace or shape that do not follow each other cross or touch \
        (ExpressionTests checks the geometry).
        """

    static let explained: [String: String] = [
        "and": xpathPaths, "/data/int_a": xpathPaths, "@x": xpathPaths, "a[1]": xpathPaths,
        "if(false(), foo(), 'ok')": """
            JavaRosa looks a function up only when it is called, so an unknown one in a branch not taken \
            passes; Canvass refuses an unknown function when the form is checked, wherever it is.
            """,
        "max(-1, -2)": """
            A JavaRosa bug: max() starts from Double.MIN_VALUE, the smallest positive double, so the \
            maximum of negative numbers comes out as 4.9E-324 (shown as 0). Canvass gives -1.
            """,
        "position()": """
            position() without an argument outside a repeat: JavaRosa gives 0 for the field evaluated \
            here and 1 for a calculate; Canvass gives 1, the position of a field that is not repeated, \
            for both (forms use position(..), where the two agree).
            """,
        "date('0001-01-01')": julian, "date-time('0001-01-01')": julian, "decimal-date-time('0001-01-01')": julian,
        "decimal-time('0001-01-01')": julian, "number(date('0001-01-01'))": julian,
        "string(date-time('0001-01-01'))": julian, "format-date(date(-719162), '%Y-%m-%d %a')": julian,
        "intersects(${bowtie})": intersects, "intersects(${shape})": intersects,
        "join(' ', randomize(${s}, 'abc'))": """
            A seed that is not a number is hashed with SHA-256 (JavaRosa's toLongHash), through BouncyCastle, \
            which the ODK Validate jar does not bundle (NoClassDefFoundError); ODK Collect has it. Canvass \
            hashes the same way with swift-crypto.
            """,
        "jr:choice-name('b', '${one}')": """
            JavaRosa evaluated alone cannot look up a choice label (it needs the form's itext, which the \
            harness does not load: a NullPointerException); Canvass returns the label of choice b, 'B'.
            """,
    ]
}
