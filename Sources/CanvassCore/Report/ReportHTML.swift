import Foundation

/// The index report as one self-contained HTML page: inline SVG charts, no scripts, no fonts or
/// images fetched, so it opens offline, mails as one file and prints on A4.
public enum ReportHTML {
    public struct Texts: Sendable {
        public var title: String
        public var subtitle: String
        public var language: String

        public init(title: String, subtitle: String, language: String) {
            self.title = title
            self.subtitle = subtitle
            self.language = language
        }
    }

    public static func render(_ report: IndexReport, texts: Texts, target: Double?) -> String {
        let vi = texts.language == "vi"
        func t(_ vietnamese: String, _ english: String) -> String { vi ? vietnamese : english }
        var html = """
            <!DOCTYPE html>
            <html lang="\(escape(texts.language))">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(escape(texts.title))</title>
            <style>
            body { font-family: "Noto Sans", "Segoe UI", Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #222; line-height: 1.4; }
            h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .chart { display: block; max-width: 100%; height: auto; }
            .note { color: #555; font-size: 0.9em; }
            section { break-inside: avoid; page-break-inside: avoid; }
            @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
            </style>
            </head>
            <body>
            <h1>\(escape(texts.title))</h1>
            <p class="note">\(escape(texts.subtitle))</p>

            """
        let overall = report.overall
        let legend = t("Cột xanh: đạt mục tiêu; cột cam: chưa đạt; đường đỏ: mục tiêu. Chỉ tính phiếu đã hoàn thành hoặc đã duyệt.",
                       "Blue bars meet the target, orange bars do not; the red line is the target. Completed and approved interviews only.")
        html += """
            <p>\(t("Chỉ số chung", "Overall index")): <strong>\(percent(overall.value))</strong>, \
            \(overall.respondents) \(t("phiếu hợp lệ", "respondents"))\
            \(target.map { "; \(t("mục tiêu", "target")) \(percent($0))" } ?? "").</p>
            <p class="note">\(legend)</p>

            """
        let ranked = report.groups.sorted { ($0.rank ?? Int.max, $0.group) < ($1.rank ?? Int.max, $1.group) }
        if !report.groups.isEmpty {
            html += "<section>\n<h2>\(t("Xếp hạng các đơn vị", "Units ranked"))</h2>\n"
            html += rankingChart(ranked.map { ($0.label ?? $0.group, $0.value) }, target: target, title: t("Chỉ số theo đơn vị", "Index by unit"))
            html += "<table>\n<tr><th>\(t("Hạng", "Rank"))</th><th>\(t("Đơn vị", "Unit"))</th><th>\(t("Số phiếu", "Respondents"))</th>"
            html += report.overall.elements.map { "<th>\(escape($0.label ?? $0.name))</th>" }.joined()
            html += "<th>\(t("Chỉ số", "Index"))</th></tr>\n"
            for group in ranked {
                html += "<tr><td class=\"n\">\(group.rank.map(String.init) ?? "–")</td><td>\(escape(group.label ?? group.group))</td>"
                html += "<td class=\"n\">\(group.respondents)</td>"
                html += group.elements.map { "<td class=\"n\">\(percent($0.value))</td>" }.joined()
                html += "<td class=\"n\"><strong>\(percent(group.value))</strong></td></tr>\n"
            }
            html += "</table>\n</section>\n"
        }
        html += "<section>\n<h2>\(t("Các yếu tố", "Elements"))</h2>\n"
        html += rankingChart(overall.elements.map { ($0.label ?? $0.name, $0.value) }, target: target, title: t("Chỉ số theo yếu tố", "Index by element"))
        html += "</section>\n"
        for group in ranked {
            html += "<section>\n<h2>\(escape(group.label ?? group.group)): \(percent(group.value))</h2>\n"
            html += rankingChart(group.elements.map { ($0.label ?? $0.name, $0.value) }, target: target,
                                 title: "\(group.label ?? group.group): \(t("các yếu tố", "elements"))")
            html += "</section>\n"
        }
        html += "<section>\n<h2>\(t("Các tiêu chí", "Criteria"))</h2>\n<table>\n"
        html += "<tr><th>\(t("Tiêu chí", "Criterion"))</th><th>\(t("Số trả lời", "Valid answers"))</th><th>\(t("Hài lòng", "Satisfied"))</th></tr>\n"
        for element in overall.elements {
            html += "<tr><th colspan=\"2\">\(escape(element.label ?? element.name))</th><th class=\"n\">\(percent(element.value))</th></tr>\n"
            for question in element.questions {
                html += "<tr><td>\(escape(question.label ?? question.name))</td><td class=\"n\">\(question.valid)</td>"
                html += "<td class=\"n\">\(percent(question.value))</td></tr>\n"
            }
        }
        html += "</table>\n</section>\n"
        for table in overall.tables where table.valid > 0 {
            html += "<section>\n<h2>\(escape(table.label ?? table.question))</h2>\n<table>\n"
            for share in table.choices {
                html += "<tr><td>\(escape(share.label ?? share.name))</td><td class=\"n\">\(share.count)</td>"
                html += "<td class=\"n\">\(percent(share.percent))</td></tr>\n"
            }
            html += "<tr><td>\(t("Số trả lời", "Answered"))</td><td class=\"n\">\(table.valid)</td><td></td></tr>\n</table>\n</section>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    /// Horizontal bars on a 0-100 scale, one per row, with the target as a dashed line.
    static func rankingChart(_ bars: [(label: String, value: Double?)], target: Double?, title: String) -> String {
        let labelWidth = 260.0, plotWidth = 380.0, rowHeight = 24.0, top = 28.0
        let width = labelWidth + plotWidth + 70, height = top + rowHeight * Double(bars.count) + 24
        func x(_ value: Double) -> Double { labelWidth + plotWidth * min(max(value, 0), 100) / 100 }
        var svg = """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(number(width)) \(number(height))" \
            width="\(number(width))" height="\(number(height))" role="img" aria-label="\(escape(title))">
            <title>\(escape(title))</title>

            """
        for tick in stride(from: 0.0, through: 100, by: 20) {
            svg += "<line x1=\"\(number(x(tick)))\" y1=\"\(number(top - 6))\" x2=\"\(number(x(tick)))\" y2=\"\(number(height - 20))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(number(x(tick)))\" y=\"\(number(height - 6))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(Int(tick))</text>\n"
        }
        for (i, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(i)
            let label = bar.label.count > 40 ? String(bar.label.prefix(39)) + "…" : bar.label
            svg += "<text x=\"\(number(labelWidth - 8))\" y=\"\(number(y + 16))\" font-size=\"12\" text-anchor=\"end\">\(escape(label))</text>"
            if let value = bar.value {
                let met = target.map { value >= $0 } ?? true
                svg += "<rect x=\"\(number(labelWidth))\" y=\"\(number(y + 4))\" width=\"\(number(x(value) - labelWidth))\" height=\"\(number(rowHeight - 8))\" "
                svg += "fill=\"\(met ? "#2b7bb9" : "#d9822b")\"/>"
                svg += "<text x=\"\(number(x(value) + 4))\" y=\"\(number(y + 16))\" font-size=\"11\">\(percent(value))</text>\n"
            } else {
                svg += "<text x=\"\(number(labelWidth + 4))\" y=\"\(number(y + 16))\" font-size=\"11\" fill=\"#888\">–</text>\n"
            }
        }
        if let target {
            svg += "<line x1=\"\(number(x(target)))\" y1=\"\(number(top - 10))\" x2=\"\(number(x(target)))\" y2=\"\(number(height - 20))\" "
            svg += "stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
            svg += "<text x=\"\(number(x(target)))\" y=\"\(number(top - 14))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#c0392b\">\(percent(target))</text>\n"
        }
        return svg + "</svg>\n"
    }

    public static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.2f%%", value)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
